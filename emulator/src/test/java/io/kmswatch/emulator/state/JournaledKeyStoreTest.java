package io.kmswatch.emulator.state;

import io.kmswatch.emulator.crypto.CryptoCore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JournaledKeyStoreTest {
    private static final CryptoCore CRYPTO = new CryptoCore();
    @TempDir
    Path dir;

    private static KmsKey key(String id) {
        return new KmsKey.Builder().keyId(id).accountId("111122223333").region("us-east-1")
                .creationDate(Instant.parse("2026-01-01T00:00:00Z")).keyUsage("ENCRYPT_DECRYPT")
                .keySpec("SYMMETRIC_DEFAULT").origin("AWS_KMS").keyState(KeyState.ENABLED).policy("{}")
                .tags(Map.of("a", "b")).materials(List.of(CRYPTO.newMaterial("SYMMETRIC_DEFAULT", 1, null,
                        Instant.parse("2026-01-01T00:00:00Z")))).build();
    }

    @Test
    void shouldReplayKeysAliasesAndGrantsAfterReopen() {
        KmsKey k = key("11111111-1111-1111-1111-111111111111");
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            s.putKey(k);
            s.putAlias(new Alias("alias/a", k.accountId(), k.region(), "aws", k.keyId(), Instant.EPOCH, Instant.EPOCH));
            s.putGrant(new Grant("g1", k.arn(), null, "arn:aws:iam::111122223333:user/x", null, List.of("Decrypt"),
                    Map.of("Dept", "IT"), null, "111122223333", Instant.EPOCH, null));
            s.putKey(k.toBuilder().keyState(KeyState.DISABLED).build());
        }
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            KmsKey back = s.key(k.arn()).orElseThrow();
            assertThat(back.keyState()).isEqualTo(KeyState.DISABLED);
            assertThat(back.tags()).containsEntry("a", "b");
            assertThat(back.currentMaterial().sameSecret(k.currentMaterial().unsafeSecret())).isTrue();
            assertThat(s.alias("111122223333", "us-east-1", "alias/a")).isPresent();
            assertThat(s.grants(k.arn())).singleElement()
                    .satisfies(g -> assertThat(g.encryptionContextSubset()).containsEntry("Dept", "IT"));
        }
    }

    @Test
    void shouldTolerateATornLastEntryAndKeepEverythingBeforeIt() throws Exception {
        KmsKey a = key("22222222-2222-2222-2222-222222222222");
        KmsKey b = key("33333333-3333-3333-3333-333333333333");
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            s.putKey(a);
            s.putKey(b);
        }
        Path journal = dir.resolve("journal.log");
        String full = Files.readString(journal);
        // Cut the last entry in half, as a crash in the middle of a write would.
        Files.writeString(journal, full.substring(0, full.length() - 40));
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            assertThat(s.key(a.arn())).isPresent();
            assertThat(s.key(b.arn())).isEmpty();
            s.putKey(b);
        }
        Files.write(journal, "0badc0de {\"op\":\"key\"".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            assertThat(s.allKeys()).extracting(KmsKey::keyId).containsExactlyInAnyOrder(a.keyId(), b.keyId());
        }
    }

    @Test
    void shouldForgetDeletedKeysAndTheirAliases() {
        KmsKey k = key("44444444-4444-4444-4444-444444444444");
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            s.putKey(k);
            s.putAlias(new Alias("alias/gone", k.accountId(), k.region(), "aws", k.keyId(), Instant.EPOCH, Instant.EPOCH));
            s.deleteKey(k.arn());
        }
        try (JournaledKeyStore s = JournaledKeyStore.open(dir)) {
            assertThat(s.allKeys()).isEmpty();
            assertThat(s.aliases("111122223333", "us-east-1")).isEmpty();
        }
    }

    @Test
    void shouldNotShowKeyMaterialInToString() {
        KmsKey k = key("55555555-5555-5555-5555-555555555555");
        String secretHex = java.util.HexFormat.of().formatHex(k.currentMaterial().unsafeSecret());
        assertThat(k.toString()).doesNotContain(secretHex);
        assertThat(k.currentMaterial().toString()).doesNotContain(secretHex);
    }
}
