package io.kmswatch.events.policy;

import io.kmswatch.events.KeyArns;
import java.util.regex.Pattern;

/** How principals are written in key policies and grants: whose account they belong to, whether AWS itself. Null-safe. */
public final class Principals {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    private Principals() {
    }

    /** True for an AWS service principal ({@code logs.amazonaws.com}) or EC2's infrastructure identity. */
    public static boolean isAwsServicePrincipal(String principal) {
        return principal != null && (principal.endsWith(".amazonaws.com") || principal.endsWith(".amazonaws.com.cn")
                || principal.contains(":aws:ec2-infrastructure"));
    }

    /**
     * The account of a principal as written in policies and grants: an ARN's account, a bare account
     * id, or the leading account of {@code <account>:aws:ec2-infrastructure:…}; null when none.
     */
    public static String accountOfPrincipal(String principal) {
        if (principal == null) {
            return null;
        }
        if (ACCOUNT.matcher(principal).matches()) {
            return principal;
        }
        if (principal.startsWith("arn:")) {
            return KeyArns.accountOf(principal);
        }
        int colon = principal.indexOf(':');
        if (colon == 12 && ACCOUNT.matcher(principal.substring(0, 12)).matches()) {
            return principal.substring(0, 12);
        }
        return null;
    }

    /** True for an account itself: a bare 12-digit id or {@code arn:<partition>:iam::<account>:root}. */
    public static boolean isAccountRoot(String principal) {
        return principal != null && (ACCOUNT.matcher(principal).matches()
                || principal.matches("arn:aws[a-z-]*:iam::\\d{12}:root"));
    }
}
