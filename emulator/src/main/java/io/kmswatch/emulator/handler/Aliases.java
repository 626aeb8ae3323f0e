package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.Validation;

import java.util.regex.Pattern;

/**
 * Alias name rules: {@code alias/} prefix, 1–256 characters of {@code [a-zA-Z0-9:/_-]}, and the reserved
 * {@code alias/aws/} prefix (AWS-managed keys) that customers may not create, update or delete.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html">Creating an alias</a>
 */
final class Aliases {
    private static final Pattern NAME = Pattern.compile("alias/[a-zA-Z0-9:/_-]+");

    private Aliases() {
    }

    static void check(String aliasName) {
        Validation.required(aliasName, "aliasName");
        Validation.length(aliasName, "aliasName", 1, 256);
        if (!NAME.matcher(aliasName).matches()) {
            throw Validation.fail("aliasName", aliasName, "Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$");
        }
        if (aliasName.startsWith("alias/aws/")) {
            throw new KmsServiceException(KmsErrorCode.INVALID_ALIAS_NAME,
                    "Alias names beginning with alias/aws/ are reserved for AWS managed keys: " + aliasName);
        }
    }
}
