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
        int[] c = colons(s);
        return c != null && c[4] > 0 && part(s, c, 2).equals("kms") && s.startsWith("key/", c[4] + 1)
                && s.length() > c[4] + 5;
    }

    /** True for {@code arn:<p>:kms:<region>:<account>:alias/<name>}. */
    public static boolean isAliasArn(String s) {
        int[] c = colons(s);
        return c != null && c[4] > 0 && part(s, c, 2).equals("kms") && s.startsWith("alias/", c[4] + 1);
    }

    /** The account component of an ARN, or null when absent or empty. */
    public static String accountOf(String arn) {
        int[] c = colons(arn);
        String a = c == null ? null : part(arn, c, 4);
        return a == null || a.isEmpty() ? null : a;
    }

    /** The region component of an ARN, or null when absent or empty. */
    public static String regionOf(String arn) {
        int[] c = colons(arn);
        String r = c == null ? null : part(arn, c, 3);
        return r == null || r.isEmpty() ? null : r;
    }

    /** The partition of an ARN ({@code aws}, {@code aws-cn}, {@code aws-us-gov}), or {@code aws}. */
    public static String partitionOf(String arn) {
        int[] c = colons(arn);
        String p = c == null ? null : part(arn, c, 1);
        return p == null || p.isEmpty() ? "aws" : p;
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

    /**
     * Positions of the first five colons of an ARN ({@code -1} for the fifth when there is none, i.e. no
     * resource part), or null when {@code s} is not {@code arn:} with at least four colons — the parts
     * {@code arn.split(":", 6)} would yield, without the regex and the array of strings.
     */
    private static int[] colons(String s) {
        if (s == null || !s.startsWith("arn:")) {
            return null;
        }
        int[] c = new int[5];
        c[0] = 3;
        for (int i = 1; i < 5; i++) {
            int next = s.indexOf(':', c[i - 1] + 1);
            if (next < 0) {
                if (i < 4) {
                    return null;
                }
                c[4] = -1;
                return c;
            }
            c[i] = next;
        }
        return c;
    }

    /** Part {@code i} (1-5; 5 is the resource, everything after the fifth colon) of an ARN with colons {@code c}. */
    private static String part(String s, int[] c, int i) {
        if (i == 4) {
            return s.substring(c[3] + 1, c[4] < 0 ? s.length() : c[4]);
        }
        return s.substring(c[i - 1] + 1, c[i]);
    }
}
