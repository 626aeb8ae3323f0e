package io.kmswatch.emulator.api;

/**
 * The DescribeKey response; null members are left out of the JSON.
 * @see <a href="https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html">DescribeKey</a>
 */
public record DescribeKeyResponse(KeyMetadata keyMetadata) {
}
