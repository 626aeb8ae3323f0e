package io.kmswatch.ingest.internal;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials and HTTP client for the AWS SDK clients of the sources: the default credentials
 * chain, a named profile, or a role assumed with either (STS AssumeRole, refreshed before expiry).
 */
public final class AwsClients {
    /** Session name in the assumed role's CloudTrail records, so kmswatch's own reads are recognisable. */
    public static final String SESSION_NAME = "kmswatch-ingest";

    private AwsClients() {
    }

    /** A synchronous HTTP client builder with bounded timeouts. */
    public static SdkHttpClient.Builder<?> http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60));
    }

    /**
     * @param profile       a named profile, or null for the default chain
     * @param assumeRoleArn a role to assume with those credentials, or null
     * @param externalId    the role's external id, or null
     * @param region        region of the STS client
     */
    public static AwsCredentialsProvider credentials(String profile, String assumeRoleArn, String externalId,
                                                     Region region) {
        AwsCredentialsProvider base = profile != null
                ? ProfileCredentialsProvider.builder().profileName(profile).build()
                : DefaultCredentialsProvider.builder().build();
        if (assumeRoleArn == null) {
            return base;
        }
        StsClient sts = StsClient.builder().region(region).credentialsProvider(base).httpClientBuilder(http()).build();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(assumeRoleArn).roleSessionName(SESSION_NAME);
                    if (externalId != null) {
                        r.externalId(externalId);
                    }
                })
                .build();
    }
}
