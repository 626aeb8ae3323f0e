package io.kmswatch.emulator.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a Principal element covers the caller, and how:
 * {@link Match#DIRECT} when it names the caller (its user/role ARN, a session of the named role, a service
 * principal, or {@code *}), {@link Match#ACCOUNT} when it names the caller's account (the account id or
 * {@code arn:…:iam::<acct>:root}), which in a key policy hands the decision to that account's IAM policies.
 */
final class PrincipalMatcher {

    /** How a Principal element covers the caller. */
    enum Match { NONE, ACCOUNT, DIRECT }

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern ROOT_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):root");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:.*/)?([^/]+)");
    private static final Pattern ASSUMED_ROLE_ARN =
            Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.+");

    private PrincipalMatcher() {
    }

    /** The caller as the matcher sees it. */
    record Caller(String arn, String account) {
        /** True when the caller is an account's root user. */
        boolean root() {
            Matcher m = ROOT_ARN.matcher(arn);
            return m.matches() && m.group(1).equals(account);
        }

        /**
         * The ARN IAM reports as {@code aws:PrincipalArn}: the role ARN for an assumed-role session (without
         * path, which the session ARN does not carry), else the caller ARN.
         */
        String principalArn() {
            Matcher m = ASSUMED_ROLE_ARN.matcher(arn);
            return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : arn;
        }
    }

    static Match match(PrincipalSpec spec, Caller caller) {
        if (spec.anyone()) {
            return Match.DIRECT;
        }
        Match best = Match.NONE;
        for (String value : spec.values("AWS")) {
            Match m = matchAws(value, caller);
            if (m == Match.DIRECT) {
                return m;
            }
            if (m == Match.ACCOUNT) {
                best = m;
            }
        }
        for (String value : spec.values("Service")) {
            if (value.equals("*") || value.equals(caller.arn())) {
                return Match.DIRECT;
            }
        }
        return best;
    }

    /** How one principal value (ARN or account id) covers the caller. */
    static Match matchAws(String value, Caller caller) {
        if (value.equals("*")) {
            return Match.DIRECT;
        }
        if (value.equals(caller.arn())) {
            return ROOT_ARN.matcher(value).matches() ? Match.ACCOUNT : Match.DIRECT;
        }
        if (ACCOUNT_ID.matcher(value).matches()) {
            return value.equals(caller.account()) ? Match.ACCOUNT : Match.NONE;
        }
        Matcher root = ROOT_ARN.matcher(value);
        if (root.matches()) {
            return root.group(1).equals(caller.account()) ? Match.ACCOUNT : Match.NONE;
        }
        // A role ARN in a policy covers every session of that role (the session ARN carries no role path).
        Matcher role = ROLE_ARN.matcher(value);
        Matcher session = ASSUMED_ROLE_ARN.matcher(caller.arn());
        if (role.matches() && session.matches() && role.group(1).equals(session.group(1))
                && role.group(2).equals(session.group(2)) && role.group(3).equals(session.group(3))) {
            return Match.DIRECT;
        }
        return Match.NONE;
    }
}
