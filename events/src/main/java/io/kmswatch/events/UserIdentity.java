package io.kmswatch.events;

/**
 * The {@code userIdentity} of a CloudTrail record. Every component may be null: service events carry
 * only {@code accountId} and {@code invokedBy}, and have no {@code type}.
 *
 * @param type            Root, IAMUser, AssumedRole, AWSService, AWSAccount, FederatedUser, … or null
 * @param principalId     as logged
 * @param arn             the caller ARN; for AssumedRole this is the per-session {@code sts} ARN
 * @param accountId       the caller's account as logged
 * @param accessKeyId     AKIA… (long term) or ASIA… (temporary), may be empty
 * @param userName        IAM user name, or the account alias for Root
 * @param invokedBy       the AWS service that called on the principal's behalf, or null
 * @param sessionIssuerType  {@code sessionContext.sessionIssuer.type} (Role, IAMUser, Root) or null
 * @param sessionIssuerArn   {@code sessionContext.sessionIssuer.arn}: the role behind a session
 * @param sessionIssuerAccountId {@code sessionContext.sessionIssuer.accountId}
 */
public record UserIdentity(String type, String principalId, String arn, String accountId, String accessKeyId,
                           String userName, String invokedBy, String sessionIssuerType, String sessionIssuerArn,
                           String sessionIssuerAccountId) {

    /** An identity with nothing in it, for records that have no {@code userIdentity}. */
    public static final UserIdentity EMPTY = new UserIdentity(null, null, null, null, null, null, null, null, null, null);

    /**
     * The stable principal for detections: the role ARN behind an assumed-role session (session names
     * change with every session and would make every call a "new principal"), else the caller ARN,
     * else {@code <account>:<type>} for identities that carry no ARN, else null.
     */
    public String principal() {
        if (sessionIssuerArn != null && !sessionIssuerArn.isEmpty()
                && ("AssumedRole".equals(type) || "FederatedUser".equals(type))) {
            return sessionIssuerArn;
        }
        String role = roleOfSession(arn);
        if (role != null) {
            return role;
        }
        if (arn != null && !arn.isEmpty()) {
            return arn;
        }
        if ("AWSService".equals(type) && invokedBy != null) {
            return invokedBy;
        }
        String account = account();
        if (account != null && type != null) {
            return account + ":" + type;
        }
        return null;
    }

    /**
     * The caller's account: {@code accountId}, else the session issuer's account, else the account in
     * the caller ARN. Null when none is known (WebIdentityUser, some service records). The literal
     * {@code anonymous} is returned as logged.
     */
    public String account() {
        if (accountId != null && !accountId.isEmpty()) {
            return accountId;
        }
        if (sessionIssuerAccountId != null && !sessionIssuerAccountId.isEmpty()) {
            return sessionIssuerAccountId;
        }
        return KeyArns.accountOf(arn);
    }

    /**
     * The IAM role ARN behind an {@code arn:<p>:sts::<acct>:assumed-role/<role>/<session>} ARN, or null.
     * Used when a record carries the session ARN without a {@code sessionIssuer}.
     */
    static String roleOfSession(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] p = arn.split(":", 6);
        if (p.length < 6 || !"sts".equals(p[2]) || !p[5].startsWith("assumed-role/")) {
            return null;
        }
        String rest = p[5].substring("assumed-role/".length());
        int slash = rest.lastIndexOf('/');
        String role = slash > 0 ? rest.substring(0, slash) : rest;
        return role.isEmpty() ? null : "arn:" + p[1] + ":iam::" + p[4] + ":role/" + role;
    }

    /** True for the account root user. */
    public boolean isRoot() {
        return "Root".equals(type) || (arn != null && arn.endsWith(":root") && arn.startsWith("arn:"));
    }
}
