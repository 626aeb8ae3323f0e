package io.kmswatch.emulator.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/** Key policies KMS writes itself. */
public final class KeyPolicies {

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern PARTITION = Pattern.compile("aws[a-z-]*");

    private KeyPolicies() {
    }

    /**
     * The policy KMS gives a key created through the API without one: a single statement, "Enable IAM User
     * Permissions", that lets the owning account's IAM policies allow any KMS action on the key
     * (<a href="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html">Default key
     * policy</a>). The text is laid out exactly as GetKeyPolicy returns it.
     *
     * @param partition e.g. {@code aws}
     * @param accountId the 12-digit owning account
     */
    public static String defaultKeyPolicy(String partition, String accountId) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(accountId, "accountId");
        if (!PARTITION.matcher(partition).matches()) {
            throw new IllegalArgumentException("not a partition: " + partition);
        }
        if (!ACCOUNT_ID.matcher(accountId).matches()) {
            throw new IllegalArgumentException("not a 12-digit account id: " + accountId);
        }
        return "{\n"
                + "  \"Version\" : \"2012-10-17\",\n"
                + "  \"Id\" : \"key-default-1\",\n"
                + "  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n"
                + "    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n"
                + "      \"AWS\" : \"arn:" + partition + ":iam::" + accountId + ":root\"\n"
                + "    },\n"
                + "    \"Action\" : \"kms:*\",\n"
                + "    \"Resource\" : \"*\"\n"
                + "  } ]\n"
                + "}";
    }

    /**
     * The policy of an AWS managed key ({@code alias/aws/<service>}): callers of the account may use it
     * through the service only ({@code kms:ViaService} and {@code kms:CallerAccount}), and the account may
     * read its metadata (<a href="https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key">AWS
     * managed keys</a>; the statements follow the policies AWS writes for them).
     *
     * @param service the service's endpoint prefix, e.g. {@code s3}
     */
    public static String awsManagedKeyPolicy(String partition, String accountId, String region, String service) {
        defaultKeyPolicy(partition, accountId); // validates partition and account
        return "{\n"
                + "  \"Version\" : \"2012-10-17\",\n"
                + "  \"Id\" : \"auto-" + service + "-2\",\n"
                + "  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Allow access through " + service + " for all principals in the account that are authorized"
                + " to use " + service + "\",\n"
                + "    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"*\"\n    },\n"
                + "    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", \"kms:GenerateDataKey*\","
                + " \"kms:DescribeKey\" ],\n"
                + "    \"Resource\" : \"*\",\n"
                + "    \"Condition\" : {\n      \"StringEquals\" : {\n        \"kms:CallerAccount\" : \"" + accountId + "\",\n"
                + "        \"kms:ViaService\" : \"" + service + "." + region + ".amazonaws.com\"\n      }\n    }\n"
                + "  }, {\n"
                + "    \"Sid\" : \"Allow direct access to key metadata to the account\",\n"
                + "    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"arn:" + partition + ":iam::" + accountId + ":root\"\n    },\n"
                + "    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\" ],\n"
                + "    \"Resource\" : \"*\"\n"
                + "  } ]\n"
                + "}";
    }
}
