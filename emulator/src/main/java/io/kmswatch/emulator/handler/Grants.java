package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.GrantConstraints;
import io.kmswatch.emulator.api.GrantListEntry;
import io.kmswatch.emulator.api.Validation;
import io.kmswatch.emulator.state.Grant;

import java.util.List;

/** Grant rules shared by the grant handlers. */
final class Grants {
    static final List<String> OPERATIONS = List.of("Decrypt", "Encrypt", "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify", "GetPublicKey",
            "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
            "GenerateMac", "VerifyMac", "DeriveSharedSecret");

    private Grants() {
    }

    static void checkPrincipal(String principal, String member) {
        Validation.length(principal, member, 1, 256);
        if (!principal.matches("[\\w+=,.@:/-]+")) {
            throw Validation.fail(member, principal, "Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$");
        }
    }

    static GrantListEntry entry(Grant g) {
        GrantConstraints c = g.encryptionContextSubset() == null && g.encryptionContextEquals() == null ? null
                : new GrantConstraints(g.encryptionContextSubset(), g.encryptionContextEquals());
        return new GrantListEntry(g.keyArn(), g.grantId(), g.name(),
                g.creationDate(), g.granteePrincipal(), g.retiringPrincipal(), g.issuingAccount(), g.operations(),
                c);
    }
}
