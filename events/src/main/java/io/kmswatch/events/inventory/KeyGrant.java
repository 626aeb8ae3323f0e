package io.kmswatch.events.inventory;

import java.time.Instant;
import java.util.List;

/**
 * One grant on a key as {@code ListGrants} returns it (the {@code GrantListEntry} shape).
 *
 * @param grantId           never null
 * @param name              the grant's name, or null
 * @param granteePrincipal  who may use the key through the grant; never null
 * @param retiringPrincipal who may retire it, or null
 * @param issuingAccount    the account that created it ({@code arn:aws:iam::<account>:root}), or null
 * @param operations        the operations it allows; never null
 * @param creationDate      or null
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantListEntry.html">GrantListEntry</a>
 */
public record KeyGrant(String grantId, String name, String granteePrincipal, String retiringPrincipal,
                       String issuingAccount, List<String> operations, Instant creationDate) {
    public KeyGrant {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }
}
