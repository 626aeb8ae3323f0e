package io.kmswatch.emulator.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated principal of a request, resolved from the SigV4 access key id: an IAM user, an assumed-role
 * session (an {@code ASIA…} key bound to a role) or the account root. Carries the identity policies IAM would
 * evaluate and the AWS services the principal may call through (a "service principal" in the config).
 *
 * @param type            CloudTrail userIdentity type: {@code IAMUser}, {@code AssumedRole} or {@code Root}
 * @param arn             the identity ARN as CloudTrail shows it (for a session, the {@code sts} assumed-role ARN)
 * @param policyArn       the ARN policies match ({@code iam::…:user/x}, {@code iam::…:role/r}, {@code iam::…:root})
 * @param roleName        role name of a session, else null
 * @param sessionName     session name of a session, else null
 * @param sessionCreated  when the session was created, else null
 * @param viaServices     service host names ({@code s3.amazonaws.com}) this principal may call through
 */
public record Caller(String type, String accountId, String arn, String policyArn, String principalId, String userName,
                     String accessKeyId, String roleName, String rolePrincipalId, String sessionName,
                     Instant sessionCreated, List<String> identityPolicies, Set<String> viaServices) {
    public Caller {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(policyArn, "policyArn");
        identityPolicies = List.copyOf(identityPolicies);
        viaServices = Set.copyOf(viaServices);
    }

    public String partition() {
        return arn.split(":", 3)[1];
    }

    /** The name LookupEvents reports as {@code Username}. */
    public String lookupUsername() {
        return switch (type) {
            case "AssumedRole" -> sessionName;
            case "Root" -> "root";
            default -> userName;
        };
    }

    @Override
    public String toString() {
        return "Caller[" + arn + "]";
    }
}
