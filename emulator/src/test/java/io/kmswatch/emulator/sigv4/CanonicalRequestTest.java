package io.kmswatch.emulator.sigv4;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Known answers for the canonical request and the signing-key chain. */
class CanonicalRequestTest {

    /**
     * The worked example of the AWS General Reference ("Signature Version 4 signing process", IAM ListUsers,
     * 2015-08-30): canonical request hash f536…1a59 and signature 5d67…b5d7.
     */
    @Test
    void shouldReproduceAwsWorkedExample() {
        Map<String, List<String>> headers = Map.of(
                "content-type", List.of("application/x-www-form-urlencoded; charset=utf-8"),
                "host", List.of("iam.amazonaws.com"),
                "x-amz-date", List.of("20150830T123600Z"));

        String canonical = CanonicalRequest.build("GET", "/", "Action=ListUsers&Version=2010-05-08", headers,
                List.of("content-type", "host", "x-amz-date"), new byte[0]);
        String hash = HexFormat.of().formatHex(SigV4Verifier.sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] signature = SigV4Verifier.signature("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1",
                "iam", "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n" + hash);

        assertThat(hash).isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(HexFormat.of().formatHex(signature))
                .isEqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|/",
            "/|/",
            "/a%20b|/a%2520b",
            "/a/./b/../c|/a/c",
            "/a/b/|/a/b/",
            "/~user/x_y-z.txt|/~user/x_y-z.txt",
            "/caf%C3%A9|/caf%25C3%25A9",
    })
    void shouldEncodePathASecondTimeAfterRemovingDotSegments(String raw, String canonical) {
        assertThat(CanonicalRequest.canonicalUri(raw)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "b=2&a=1|a=1&b=2",
            "a=2&a=1|a=1&a=2",
            "flag|flag=",
            "x=a%20b&y=a+b|x=a%20b&y=a%2Bb",
            "k=%7e%2f|k=~%2F",
            "Z=1&a=1|Z=1&a=1",
    })
    void shouldDecodeReencodeAndSortQuery(String raw, String canonical) {
        assertThat(CanonicalRequest.canonicalQuery(raw)).isEqualTo(canonical);
    }

    @Test
    void shouldTrimCollapseAndJoinHeaderValues() {
        assertThat(CanonicalRequest.canonicalHeaderValue(List.of("  a   b\t\tc  ", "d"))).isEqualTo("a b c,d");
    }
}
