package io.kmswatch.emulator.handler;

import io.kmswatch.emulator.api.KmsErrorCode;
import io.kmswatch.emulator.api.KmsServiceException;
import io.kmswatch.emulator.api.Validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Alias name rules for CreateAlias, UpdateAlias and DeleteAlias, in the order KMS applies them:
 * <ol>
 *   <li>the service model's constraints on {@code AliasName}: pattern {@value #PATTERN}, length 1–256, reported
 *       in the standard ValidationException wording (several at once as {@code N validation errors detected});</li>
 *   <li>the {@code alias/} prefix: {@code Alias must start with the prefix "alias/". Please see
 *       https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html};</li>
 *   <li>no {@code :} in a prefixed name: {@code <name> contains invalid characters for an alias};</li>
 *   <li>a name after the prefix, and not the reserved {@code alias/aws/} prefix of AWS managed keys, which
 *       customers may not create, update or delete (InvalidAliasNameException).</li>
 * </ol>
 * The predefined AWS aliases that ListAliases shows before any AWS managed key exists are {@link #PREDEFINED}.
 *
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html">CreateAlias</a>
 * @see <a href="https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html">Creating an alias</a>
 */
final class Aliases {
    /** The model's pattern for {@code AliasNameType}. */
    static final String PATTERN = "^[a-zA-Z0-9:/_-]+$";
    static final String PREFIX = "alias/";
    static final String RESERVED_PREFIX = "alias/aws/";
    /**
     * The aliases AWS creates in every account and region before the service's AWS managed key exists; ListAliases
     * returns them without {@code TargetKeyId} ("predefined aliases that AWS has created but has not yet associated
     * with a KMS key", ListAliases API reference). The names are those a new account lists.
     */
    static final List<String> PREDEFINED = List.of("alias/aws/dynamodb", "alias/aws/ebs",
            "alias/aws/elasticfilesystem", "alias/aws/es", "alias/aws/glue", "alias/aws/kinesisvideo", "alias/aws/rds",
            "alias/aws/redshift", "alias/aws/s3", "alias/aws/secretsmanager", "alias/aws/ssm", "alias/aws/xray");
    private static final Pattern NAME = Pattern.compile(PATTERN);

    private Aliases() {
    }

    /**
     * Checks an alias name a request gives.
     *
     * @throws KmsServiceException ValidationException or InvalidAliasNameException, with KMS's messages
     */
    static void check(String aliasName) {
        Validation.required(aliasName, "aliasName");
        List<String> violated = new ArrayList<>();
        if (!NAME.matcher(aliasName).matches()) {
            violated.add("Member must satisfy regular expression pattern: " + PATTERN);
        }
        if (aliasName.isEmpty()) {
            violated.add("Member must have length greater than or equal to 1");
        }
        if (aliasName.length() > 256) {
            violated.add("Member must have length less than or equal to 256");
        }
        if (!violated.isEmpty()) {
            throw Validation.fail("aliasName", aliasName, violated);
        }
        if (!aliasName.startsWith(PREFIX)) {
            throw KmsServiceException.validation("Alias must start with the prefix \"alias/\". Please see "
                    + "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        }
        if (aliasName.indexOf(':') >= 0) {
            throw KmsServiceException.validation(aliasName + " contains invalid characters for an alias");
        }
        if (aliasName.length() == PREFIX.length()) {
            throw new KmsServiceException(KmsErrorCode.INVALID_ALIAS_NAME,
                    "Alias name must have at least one character after the prefix \"alias/\".");
        }
        if (aliasName.startsWith(RESERVED_PREFIX)) {
            throw new KmsServiceException(KmsErrorCode.INVALID_ALIAS_NAME,
                    "Alias names beginning with alias/aws/ are reserved for AWS managed keys: " + aliasName);
        }
    }
}
