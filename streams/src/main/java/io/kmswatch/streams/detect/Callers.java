package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.KeyArns;
import java.util.Set;
import java.util.regex.Pattern;

/** Caller classification shared by the detections; every method is null-safe. */
public final class Callers {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]+(%\\w+)?");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Set<String> ACCESS_DENIED = Set.of("AccessDenied", "AccessDeniedException",
            "UnauthorizedOperation", "Client.UnauthorizedOperation", "UnauthorizedAccess",
            "NotAuthorized", "AuthorizationError");

    private Callers() {
    }

    /** True when {@code sourceIPAddress} is an IP literal, not a service name or {@code AWS Internal}. */
    public static boolean isIpLiteral(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        return s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
    }

    /** The AccessDenied family of error codes. */
    public static boolean isAccessDenied(String errorCode) {
        return errorCode != null && (ACCESS_DENIED.contains(errorCode) || errorCode.endsWith("UnauthorizedOperation"));
    }

    /** True for the errors that say the key cannot be used: the key is disabled or pending deletion. */
    public static boolean isKeyUnusable(String errorCode) {
        return "DisabledException".equals(errorCode) || "KMSInvalidStateException".equals(errorCode)
                || "KeyUnavailableException".equals(errorCode);
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

    /** True when AWS itself made the record with no account behind it to blame (service events, AWSService). */
    public static boolean isAwsItself(CloudTrailEvent e) {
        return "AwsServiceEvent".equals(e.eventType()) || "AWSService".equals(e.userIdentity().type());
    }
}
