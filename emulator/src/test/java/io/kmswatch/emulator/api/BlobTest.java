package io.kmswatch.emulator.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlobTest {

    @Test
    void shouldDecodeStandardBase64WithOrWithoutPadding() {
        assertThat(Blob.fromBase64("aGVsbG8=").bytes()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(Blob.fromBase64("aGVsbG8").bytes()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(Blob.fromBase64("+/+/").bytes()).containsExactly(0xfb, 0xff, 0xbf);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "my database password is hunter2-hunter2!",   // never encoded: a lenient decoder dropped the odd characters
            "aGVs bG8=",                                   // a space inside
            "aGVs\nbG8=",                                  // a line break inside
            "-_-_"})                                       // the URL-safe alphabet
    void shouldRefuseTextThatIsNotStandardBase64(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Blob.fromBase64(text));
    }

    @Test
    void shouldNeverShowTheBytesInToString() {
        assertThat(Blob.fromBase64("c2VjcmV0IGtleSBtYXRlcmlhbA==").toString()).isEqualTo("Blob[19 bytes]");
    }
}
