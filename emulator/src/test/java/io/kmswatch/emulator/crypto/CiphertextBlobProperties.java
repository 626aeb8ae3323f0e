package io.kmswatch.emulator.crypto;

import io.kmswatch.emulator.state.KeyState;
import io.kmswatch.emulator.state.KmsKey;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Properties of the symmetric envelope: every parse failure is InvalidCiphertextException, every bit counts. */
class CiphertextBlobProperties {
    private static final CryptoCore CRYPTO = new CryptoCore();
    private static final KmsKey KEY = new KmsKey.Builder().keyId("1234abcd-12ab-34cd-56ef-1234567890ab")
            .accountId("111122223333").region("us-east-1").creationDate(Instant.EPOCH).keyUsage("ENCRYPT_DECRYPT")
            .keySpec("SYMMETRIC_DEFAULT").origin("AWS_KMS").keyState(KeyState.ENABLED)
            .materials(List.of(CRYPTO.newMaterial("SYMMETRIC_DEFAULT", 1, null, Instant.EPOCH))).build();

    @Property
    void arbitraryBytesEitherParseOrFailAsInvalidCiphertext(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            CiphertextBlob b = CiphertextBlob.parse(bytes);
            assertThat(b.accountId()).matches("\\d{12}");
        } catch (InvalidCiphertextException expected) {
            assertThat(expected.code().type()).isEqualTo("InvalidCiphertextException");
        }
    }

    @Property(tries = 300)
    void flippingAnyBitOfABlobMakesItUndecryptable(@ForAll @Size(min = 1, max = 64) byte[] plaintext,
                                                   @ForAll @IntRange(min = 0, max = 10_000) int position,
                                                   @ForAll @IntRange(min = 0, max = 7) int bit) {
        byte[] blob = CRYPTO.encryptSymmetric(KEY, plaintext, Map.of("k", "v"));
        assertThat(CRYPTO.decryptSymmetric(CiphertextBlob.parse(blob), KEY, Map.of("k", "v"))).isEqualTo(plaintext);
        blob[position % blob.length] ^= (byte) (1 << bit);
        assertThatThrownBy(() -> CRYPTO.decryptSymmetric(CiphertextBlob.parse(blob), KEY, Map.of("k", "v")))
                .isInstanceOfAny(InvalidCiphertextException.class, io.kmswatch.emulator.api.KmsServiceException.class)
                .hasFieldOrPropertyWithValue("code", io.kmswatch.emulator.api.KmsErrorCode.INVALID_CIPHERTEXT);
    }

    @Property(tries = 100)
    void contextOrderDoesNotMatterButContentDoes(@ForAll @Size(min = 1, max = 5) Map<String, String> context) {
        byte[] pt = {1, 2, 3};
        byte[] blob = CRYPTO.encryptSymmetric(KEY, pt, context);
        assertThat(CRYPTO.decryptSymmetric(CiphertextBlob.parse(blob), KEY, new java.util.TreeMap<>(context)))
                .isEqualTo(pt);
        java.util.Map<String, String> other = new java.util.HashMap<>(context);
        other.put("extra-key-never-generated\u0000", "x");
        assertThatThrownBy(() -> CRYPTO.decryptSymmetric(CiphertextBlob.parse(blob), KEY, other))
                .isInstanceOf(InvalidCiphertextException.class);
    }
}
