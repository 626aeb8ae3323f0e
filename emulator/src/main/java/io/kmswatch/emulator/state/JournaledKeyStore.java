package io.kmswatch.emulator.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.events.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A {@link KeyStore} that survives restarts and {@code kill -9}: every change is appended to
 * {@code <dataDir>/journal.log} and forced to disk before it is applied and acknowledged.
 *
 * <p>Journal grammar (UTF-8, one entry per line):
 * <pre>
 * journal = *entry
 * entry   = crc SP json LF          ; crc = 8 lowercase hex digits, CRC-32 of the json bytes
 * json    = {"op":"key","key":KmsKey} | {"op":"delKey","arn":…} | {"op":"alias","alias":Alias}
 *         | {"op":"delAlias","accountId":…,"region":…,"aliasName":…} | {"op":"grant","grant":Grant}
 *         | {"op":"delGrant","keyArn":…,"grantId":…}
 * </pre>
 * Replay applies entries in order (last writer wins). A torn or corrupt entry can only be the last one written
 * when the process died, so replay stops there and truncates the file to the last good entry. After replay the
 * journal is compacted: the live state is written to a temporary file, forced, and atomically renamed over the
 * journal. The journal holds key material, so the data directory must be protected like a key store.
 */
public final class JournaledKeyStore extends InMemoryKeyStore {
    private static final Logger LOG = LoggerFactory.getLogger(JournaledKeyStore.class);
    private final Path journal;
    private FileChannel channel;

    private JournaledKeyStore(Path dataDir) {
        this.journal = dataDir.resolve("journal.log");
    }

    /**
     * Opens (or creates) the store in {@code dataDir}, replaying and compacting its journal.
     *
     * @throws EmulatorException when the directory cannot be read or written
     */
    public static JournaledKeyStore open(Path dataDir) {
        JournaledKeyStore store = new JournaledKeyStore(dataDir);
        try {
            Files.createDirectories(dataDir);
            store.replay();
            store.compact();
            store.channel = FileChannel.open(store.journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new EmulatorException("cannot open data directory " + dataDir + ": " + e.getMessage(), e);
        }
        return store;
    }

    private void replay() throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        byte[] all = Files.readAllBytes(journal);
        int pos = 0;
        int entries = 0;
        while (pos < all.length) {
            int nl = indexOf(all, (byte) '\n', pos);
            if (nl < 0 || !applyLine(all, pos, nl)) {
                LOG.warn("journal {}: ignoring a torn or corrupt entry at byte {} (of {}); truncating",
                        journal, pos, all.length);
                try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                    ch.truncate(pos);
                    ch.force(true);
                }
                break;
            }
            entries++;
            pos = nl + 1;
        }
        LOG.info("journal {}: replayed {} entries, {} keys", journal, entries, allKeys().size());
    }

    private boolean applyLine(byte[] all, int from, int nl) {
        if (nl - from < 10 || all[from + 8] != ' ') {
            return false;
        }
        String crcHex = new String(all, from, 8, StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(all, from + 9, nl - from - 9);
        if (!String.format("%08x", crc.getValue()).equals(crcHex)) {
            return false;
        }
        try {
            JsonNode e = Json.MAPPER.readTree(all, from + 9, nl - from - 9);
            switch (e.path("op").asText()) {
                case "key" -> super.putKey(Json.MAPPER.treeToValue(e.get("key"), KmsKey.class));
                case "delKey" -> super.deleteKey(e.get("arn").asText());
                case "alias" -> super.putAlias(Json.MAPPER.treeToValue(e.get("alias"), Alias.class));
                case "delAlias" -> super.deleteAlias(e.get("accountId").asText(), e.get("region").asText(),
                        e.get("aliasName").asText());
                case "grant" -> super.putGrant(Json.MAPPER.treeToValue(e.get("grant"), Grant.class));
                case "delGrant" -> super.deleteGrant(e.get("keyArn").asText(), e.get("grantId").asText());
                default -> {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    private void compact() throws IOException {
        Path tmp = journal.resolveSibling("journal.log.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (KmsKey k : allKeys()) {
                write(ch, entry("key").set("key", Json.MAPPER.valueToTree(k)));
            }
            for (KmsKey k : allKeys()) {
                for (Alias a : aliases(k.accountId(), k.region())) {
                    if (a.targetKeyId().equals(k.keyId())) {
                        write(ch, entry("alias").set("alias", Json.MAPPER.valueToTree(a)));
                    }
                }
            }
            for (Grant g : allGrants()) {
                write(ch, entry("grant").set("grant", Json.MAPPER.valueToTree(g)));
            }
            ch.force(true);
        }
        Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(journal.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot fsync a directory; the rename is still atomic.
        }
    }

    private static ObjectNode entry(String op) {
        return Json.MAPPER.createObjectNode().put("op", op);
    }

    private static void write(FileChannel ch, JsonNode entry) throws IOException {
        byte[] json = Json.MAPPER.writeValueAsBytes(entry);
        CRC32 crc = new CRC32();
        crc.update(json);
        ByteBuffer buf = ByteBuffer.allocate(json.length + 10);
        buf.put(String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII)).put(json)
                .put((byte) '\n').flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Appends and forces one entry; called with the store lock held. */
    private void append(JsonNode entry) {
        try {
            write(channel, entry);
            channel.force(false);
        } catch (IOException e) {
            throw new EmulatorException("cannot write journal " + journal + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void putKey(KmsKey key) {
        atomically(() -> {
            append(entry("key").set("key", Json.MAPPER.valueToTree(key)));
            super.putKey(key);
            return null;
        });
    }

    @Override
    public void deleteKey(String keyArn) {
        atomically(() -> {
            append(entry("delKey").put("arn", keyArn));
            super.deleteKey(keyArn);
            return null;
        });
    }

    @Override
    public void putAlias(Alias alias) {
        atomically(() -> {
            append(entry("alias").set("alias", Json.MAPPER.valueToTree(alias)));
            super.putAlias(alias);
            return null;
        });
    }

    @Override
    public void deleteAlias(String accountId, String region, String aliasName) {
        atomically(() -> {
            append(entry("delAlias").put("accountId", accountId).put("region", region).put("aliasName", aliasName));
            super.deleteAlias(accountId, region, aliasName);
            return null;
        });
    }

    @Override
    public void putGrant(Grant grant) {
        atomically(() -> {
            append(entry("grant").set("grant", Json.MAPPER.valueToTree(grant)));
            super.putGrant(grant);
            return null;
        });
    }

    @Override
    public void deleteGrant(String keyArn, String grantId) {
        atomically(() -> {
            append(entry("delGrant").put("keyArn", keyArn).put("grantId", grantId));
            super.deleteGrant(keyArn, grantId);
            return null;
        });
    }

    @Override
    public void close() {
        atomically(() -> {
            try {
                if (channel != null && channel.isOpen()) {
                    channel.force(true);
                    channel.close();
                }
            } catch (IOException e) {
                LOG.warn("closing journal {}: {}", journal, e.getMessage());
            }
            return null;
        });
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
