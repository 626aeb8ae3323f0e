package io.kmswatch.events;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyArnsTest {

    @Test
    void shouldReadTheComponentsOfKeyAndAliasArns() {
        String key = "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

        assertThat(KeyArns.isKeyArn(key)).isTrue();
        assertThat(KeyArns.isAliasArn(key)).isFalse();
        assertThat(KeyArns.partitionOf(key)).isEqualTo("aws-cn");
        assertThat(KeyArns.regionOf(key)).isEqualTo("cn-north-1");
        assertThat(KeyArns.accountOf(key)).isEqualTo("111122223333");
        assertThat(KeyArns.keyIdOf(key)).isEqualTo("1234abcd-12ab-34cd-56ef-1234567890ab");
        assertThat(KeyArns.isAliasArn("arn:aws:kms:us-east-1:111122223333:alias/prod")).isTrue();
        assertThat(KeyArns.isKeyArn("arn:aws:kms:us-east-1:111122223333:key/")).isFalse();
        assertThat(KeyArns.isKeyArn("arn:aws:s3:::bucket/key/x")).isFalse();
        assertThat(KeyArns.accountOf("arn:aws:iam::111122223333:role/app")).isEqualTo("111122223333");
        assertThat(KeyArns.accountOf("arn:aws:s3:::bucket")).isNull();
        assertThat(KeyArns.accountOf("arn:aws:kms")).isNull();
        assertThat(KeyArns.partitionOf(null)).isEqualTo("aws");
        assertThat(KeyArns.keyIdOf("alias/prod")).isEqualTo("alias/prod");
    }

    /** The reading {@code String.split(":", 6)} gives, which the index scan replaced. */
    @Property(tries = 3000)
    void shouldAgreeWithSplittingOnColons(@ForAll("arnLike") String s) {
        String[] p = s != null && s.startsWith("arn:") ? s.split(":", 6) : null;
        boolean parts = p != null && p.length >= 5;

        assertThat(KeyArns.accountOf(s)).isEqualTo(parts && !p[4].isEmpty() ? p[4] : null);
        assertThat(KeyArns.regionOf(s)).isEqualTo(parts && !p[3].isEmpty() ? p[3] : null);
        assertThat(KeyArns.partitionOf(s)).isEqualTo(parts && !p[1].isEmpty() ? p[1] : "aws");
        assertThat(KeyArns.isKeyArn(s)).isEqualTo(p != null && p.length == 6 && "kms".equals(p[2])
                && p[5].startsWith("key/") && p[5].length() > 4);
        assertThat(KeyArns.isAliasArn(s)).isEqualTo(p != null && p.length == 6 && "kms".equals(p[2])
                && p[5].startsWith("alias/"));
    }

    @Provide
    Arbitrary<String> arnLike() {
        Arbitrary<String> piece = Arbitraries.of("arn", "aws", "kms", "s3", "", "key/", "key/k1", "alias/a", "us-east-1",
                "111122223333", "x", ":", "::", "key");
        return piece.list().ofMinSize(0).ofMaxSize(9).map(l -> String.join(":", l))
                .injectNull(0.01);
    }
}
