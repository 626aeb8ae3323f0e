package io.kmswatch.events;

/**
 * One entry of a record's {@code resources[]}. CloudTrail spells the ARN key {@code ARN}; a few
 * producers write {@code arn}; both are read. Every component may be null (older records lack
 * {@code type}).
 */
public record Resource(String arn, String accountId, String type) {
    /** True when this resource names a KMS key (not an alias, not another service's resource). */
    public boolean isKmsKey() {
        if ("AWS::KMS::Key".equals(type)) {
            return true;
        }
        return arn != null && KeyArns.isKeyArn(arn);
    }
}
