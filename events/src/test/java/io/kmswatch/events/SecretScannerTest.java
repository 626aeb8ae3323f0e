package io.kmswatch.events;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class SecretScannerTest {
    private static final byte[] DATA_KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0f1e2d3c4b5a6978");

    @Test
    void shouldFindABinarySecretInEachEncodingItIsKnownIn() {
        SecretScanner scanner = new SecretScanner();
        scanner.addBytes("data key", DATA_KEY);

        assertThat(scanner.scan("log", "key=" + Base64.getEncoder().encodeToString(DATA_KEY) + " end"))
                .containsExactly("log: data key (base64) at 4");
        assertThat(scanner.scan("log", Base64.getUrlEncoder().withoutPadding().encodeToString(DATA_KEY)))
                .containsExactly("log: data key (base64url) at 0");
        assertThat(scanner.scan("log", "x" + HexFormat.of().formatHex(DATA_KEY))).containsExactly("log: data key (hex) at 1");
        assertThat(scanner.scan("log", HexFormat.of().formatHex(DATA_KEY).toUpperCase(Locale.ROOT)))
                .containsExactly("log: data key (HEX) at 0");
        byte[] record = new byte[DATA_KEY.length + 3];
        System.arraycopy(DATA_KEY, 0, record, 3, DATA_KEY.length);
        assertThat(scanner.scan("record", new String(record, StandardCharsets.ISO_8859_1)))
                .containsExactly("record: data key (raw bytes) at 3");
    }

    @Test
    void shouldFindATextSecretAsItselfAndEncoded() {
        SecretScanner scanner = new SecretScanner();
        scanner.addText("secret access key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        assertThat(scanner.scan("record", "{\"s\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}"))
                .containsExactly("record: secret access key at 6");
        assertThat(scanner.scan("record", Base64.getEncoder().encodeToString(
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.UTF_8))))
                .contains("record: secret access key (base64) at 0");
    }

    @Test
    void shouldFindNothingInCleanTextOrAPartialSecretAndIgnoreShortValues() {
        SecretScanner scanner = new SecretScanner();
        scanner.addBytes("data key", DATA_KEY);
        scanner.addText("too short", "abc");

        String hex = HexFormat.of().formatHex(DATA_KEY);
        assertThat(scanner.scan("log", "nothing to see, abc, " + hex.substring(0, hex.length() - 1))).isEmpty();
        assertThat(scanner.size()).isEqualTo(1);
    }

    @Test
    void shouldNotPrintTheSecretInItsFindings() {
        SecretScanner scanner = new SecretScanner();
        scanner.addText("password", "correct horse battery staple");

        assertThat(scanner.scan("line 3", "the password is correct horse battery staple"))
                .singleElement().asString().doesNotContain("horse");
    }
}
