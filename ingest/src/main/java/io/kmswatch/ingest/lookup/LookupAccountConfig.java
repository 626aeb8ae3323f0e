package io.kmswatch.ingest.lookup;

import java.util.List;

/**
 * One AWS account polled with LookupEvents, and how to get its credentials. Unset fields fall back
 * to the {@link LookupConfig} level (regions, profile), and from there to the SDK's default
 * credentials chain.
 *
 * @param id            a label for the account in logs, checkpoints and source ids (usually the
 *                      12-digit account id); defaults to the assume-role account, the profile, or
 *                      {@code default}
 * @param profile       a named profile from the shared AWS config/credentials files, or null
 * @param assumeRoleArn a role to assume (with the profile's or default credentials), or null
 * @param externalId    the external id the role's trust policy asks for, or null
 * @param regions       regions to poll for this account; null or empty: the lookup-level regions
 */
public record LookupAccountConfig(String id, String profile, String assumeRoleArn, String externalId,
                                  List<String> regions) {
    public LookupAccountConfig {
        regions = regions == null ? List.of() : List.copyOf(regions);
        if (assumeRoleArn != null && !assumeRoleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
            throw new IllegalArgumentException("sources.lookup.accounts[].assumeRoleArn '" + assumeRoleArn
                    + "' is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)");
        }
        if (id == null || id.isBlank()) {
            if (assumeRoleArn != null) {
                id = assumeRoleArn.split(":")[4];
            } else if (profile != null) {
                id = profile;
            } else {
                id = "default";
            }
        }
        if (!id.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("sources.lookup.accounts[].id '" + id
                    + "' may only hold letters, digits, '.', '_' and '-'");
        }
    }

    /** The account with the default credentials chain. */
    public static LookupAccountConfig defaultAccount() {
        return new LookupAccountConfig(null, null, null, null, null);
    }
}
