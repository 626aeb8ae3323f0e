package io.kmswatch.events;

/**
 * Small helpers for ARNs of the form {@code arn:<partition>:<service>:<region>:<account>:<resource>}.
 * All methods are null-safe and never throw: a malformed ARN yields null or false.
 */
public final class KeyArns {
    private KeyArns() {
    }

    /** True for {@code arn:<p>:kms:<region>:<account>:key/<id>}. */
    public static boolean isKeyArn(String s) {
        if (s == null || !s.startsWith("arn:")) {
            return false;
        }
        String[] p = s.split(":", 6);
        return p.length == 6 && "kms".equals(p[2]) && p[5].startsWith("key/") && p[5].length() > 4;
    }

    /** True for {@code arn:<p>:kms:<region>:<account>:alias/<name>}. */
    public static boolean isAliasArn(String s) {
        if (s == null || !s.startsWith("arn:")) {
            return false;
        }
        String[] p = s.split(":", 6);
        return p.length == 6 && "kms".equals(p[2]) && p[5].startsWith("alias/");
    }

    /** The account component of an ARN, or null when absent or empty. */
    public static String accountOf(String arn) {
        String[] p = split(arn);
        return p == null || p[4].isEmpty() ? null : p[4];
    }

    /** The region component of an ARN, or null when absent or empty. */
    public static String regionOf(String arn) {
        String[] p = split(arn);
        return p == null || p[3].isEmpty() ? null : p[3];
    }

    /** The partition of an ARN ({@code aws}, {@code aws-cn}, {@code aws-us-gov}), or {@code aws}. */
    public static String partitionOf(String arn) {
        String[] p = split(arn);
        return p == null || p[1].isEmpty() ? "aws" : p[1];
    }

    /** The key id (the part after {@code key/}) of a key ARN, else the input unchanged. */
    public static String keyIdOf(String arnOrId) {
        if (isKeyArn(arnOrId)) {
            return arnOrId.substring(arnOrId.indexOf(":key/") + 5);
        }
        return arnOrId;
    }

    /** Builds a key ARN. */
    public static String keyArn(String partition, String region, String account, String keyId) {
        return "arn:" + (partition == null ? "aws" : partition) + ":kms:" + region + ":" + account + ":key/" + keyId;
    }

    private static String[] split(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] p = arn.split(":", 6);
        return p.length < 5 ? null : p;
    }
}
