package io.kmswatch.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * CloudTrail KMS records for the benchmarks, built as JSON text (the fixtures of the events module are
 * test-scoped, and a benchmark must not depend on test jars). The shape follows real S3-delivered records:
 * an assumed-role caller with a session issuer, resources, request parameters.
 */
public final class BenchEvents {
    /** The account every benchmark key and caller lives in. */
    public static final String ACCOUNT = "111122223333";

    private BenchEvents() {
    }

    /** The ARN of benchmark key number {@code n}. */
    public static String keyArn(long n) {
        return String.format("arn:aws:kms:us-east-1:%s:key/00000000-0000-4000-8000-%012d", ACCOUNT, n);
    }

    /** A successful Decrypt of {@code key} by role {@code app<role>} at {@code time}, with a unique event id. */
    public static byte[] decrypt(long id, String key, long role, Instant time) {
        return record(id, "Decrypt", key, role, time, true,
                "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":{\"aws:s3:arn\":"
                        + "\"arn:aws:s3:::bucket/object-" + id + "\"}}");
    }

    /** A DisableKey of {@code key} by role {@code app<role>}: fires the key-disabled detection. */
    public static byte[] disableKey(long id, String key, long role, Instant time) {
        return record(id, "DisableKey", key, role, time, false, "{\"keyId\":\"" + key + "\"}");
    }

    /** The event id used for record {@code id}. */
    public static String eventId(long id) {
        return String.format("bench000-2222-4000-8000-%012d", id);
    }

    private static byte[] record(long id, String name, String key, long role, Instant time, boolean readOnly,
                                 String requestParameters) {
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/app" + role;
        String json = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
                + "\"principalId\":\"AROAEXAMPLE" + role + ":s1\",\"arn\":\"arn:aws:sts::" + ACCOUNT
                + ":assumed-role/app" + role + "/s1\",\"accountId\":\"" + ACCOUNT + "\",\"accessKeyId\":\"ASIAEXAMPLE\","
                + "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLE" + role
                + "\",\"arn\":\"" + roleArn + "\",\"accountId\":\"" + ACCOUNT + "\",\"userName\":\"app" + role
                + "\"},\"attributes\":{\"creationDate\":\"2024-03-01T11:00:00Z\",\"mfaAuthenticated\":\"false\"}}},"
                + "\"eventTime\":\"" + time.truncatedTo(ChronoUnit.SECONDS) + "\",\"eventSource\":\"kms.amazonaws.com\","
                + "\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"10.0.0." + (id % 200)
                + "\",\"userAgent\":\"aws-sdk-java/2.25.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.9\","
                + "\"requestParameters\":" + requestParameters + ",\"responseElements\":null,"
                + "\"requestID\":\"" + String.format("bench000-1111-4000-8000-%012d", id) + "\",\"eventID\":\""
                + eventId(id) + "\",\"readOnly\":" + readOnly + ",\"resources\":[{\"accountId\":\"" + ACCOUNT
                + "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\"" + key + "\"}],\"eventType\":\"AwsApiCall\","
                + "\"managementEvent\":true,\"recipientAccountId\":\"" + ACCOUNT + "\",\"eventCategory\":\"Management\","
                + "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\","
                + "\"clientProvidedHostHeader\":\"kms.us-east-1.amazonaws.com\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
