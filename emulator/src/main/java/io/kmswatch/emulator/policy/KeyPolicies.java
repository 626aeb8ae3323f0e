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
}
