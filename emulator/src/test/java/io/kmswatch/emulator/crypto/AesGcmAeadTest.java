package io.kmswatch.emulator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesGcmAeadTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @Test
    void everyIvIsFreshAcrossManyBatchesAndNoneIsTheWipedFill() {
        AesGcmAead aead = new AesGcmAead(KEY);
        Set<String> ivs = new HashSet<>();
        byte[] zero = new byte[AesGcmAead.IV_LENGTH];
        for (int i = 0; i < 10_000; i++) { // 156 batches of 64
            byte[] iv = Arrays.copyOf(aead.encrypt(new byte[0], null), AesGcmAead.IV_LENGTH);
            assertThat(iv).isNotEqualTo(zero);
            assertThat(ivs.add(HexFormat.of().formatHex(iv))).isTrue();
        }
    }

    @Test
    void theOutputIsStandardAesGcmUnderItsIv() throws Exception {
        byte[] plaintext = "a data key, or 8 KiB of anything".getBytes(StandardCharsets.UTF_8);
        byte[] aad = "context".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = new AesGcmAead(KEY).encrypt(plaintext, aad);

        assertThat(sealed).hasSize(AesGcmAead.IV_LENGTH + plaintext.length + AesGcmAead.TAG_LENGTH);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
        jdk.updateAAD(aad);
        assertThat(jdk.doFinal(sealed, 12, sealed.length - 12)).isEqualTo(plaintext);
        assertThat(new AesGcmAead(KEY).decrypt(sealed, aad)).isEqualTo(plaintext);
    }

    @Test
    void aChangedByteOrOtherContextIsRefused() {
        AesGcmAead aead = new AesGcmAead(KEY);
        byte[] sealed = aead.encrypt(new byte[8192], "a".getBytes(StandardCharsets.UTF_8));
        byte[] flipped = sealed.clone();
        flipped[100] ^= 1;

        assertThatThrownBy(() -> aead.decrypt(flipped, "a".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidCiphertextException.class);
        assertThatThrownBy(() -> aead.decrypt(sealed, "b".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidCiphertextException.class);
    }
}
