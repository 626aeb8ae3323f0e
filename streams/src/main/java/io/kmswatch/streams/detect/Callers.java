package io.kmswatch.streams.detect;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.policy.Principals;
import java.util.Set;
import java.util.regex.Pattern;

/** Caller classification shared by the detections; every method is null-safe. */
public final class Callers {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]+(%\\w+)?");
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
        return Principals.isAwsServicePrincipal(principal);
    }

    /** The account of a principal as written in policies and grants ({@link Principals#accountOfPrincipal}). */
    public static String accountOfPrincipal(String principal) {
        return Principals.accountOfPrincipal(principal);
    }

    /** True when AWS itself made the record with no account behind it to blame (service events, AWSService). */
    public static boolean isAwsItself(CloudTrailEvent e) {
        return "AwsServiceEvent".equals(e.eventType()) || "AWSService".equals(e.userIdentity().type());
    }
}
