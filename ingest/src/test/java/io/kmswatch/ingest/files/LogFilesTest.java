package io.kmswatch.ingest.files;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import io.kmswatch.events.ReadSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilesTest {
    private static final String RECORD = CloudTrailFixtures.decrypt().eventId("id-a").build().rawJson();

    @TempDir
    Path dir;

    @Test
    void shouldListRegularFilesSortedWithoutDigestsOrHiddenFilesAndFollowLinkedFiles() throws IOException {
        Files.createDirectories(dir.resolve("b/CloudTrail-Digest"));
        Files.writeString(dir.resolve("b/2.json.gz"), "x");
        Files.writeString(dir.resolve("a.json"), "x");
        Files.writeString(dir.resolve(".partial.tmp"), "x");
        Files.writeString(dir.resolve("b/CloudTrail-Digest/d.json.gz"), "x");
        Files.createSymbolicLink(dir.resolve("c-link.json"), dir.resolve("a.json"));

        assertThat(LogFiles.listFiles(dir)).containsExactly(dir.resolve("a.json"), dir.resolve("b/2.json.gz"),
                dir.resolve("c-link.json"));
    }

    @Test
    void shouldReadADirectorySkippingDigestFilesByPathAndRejectAFileThatCannotBeOpened() throws IOException {
        Path digestDir = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01"));
        // a digest path is passed over whatever it holds (here: a readable log file)
        Files.writeString(digestDir.resolve("d.json"), "{\"Records\":[" + RECORD.replace("id-a", "id-digest") + "]}");
        Path logDir = Files.createDirectories(dir.resolve("AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01"));
        Files.writeString(logDir.resolve("l.json"), "{\"Records\":[" + RECORD + "]}");

        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();
        ReadSummary s = LogFiles.read(new CloudTrailCodec(), dir, c);
        assertThat(c.records).extracting(CloudTrailEvent::eventId).containsExactly("id-a");
        assertThat(c.rejected).isEmpty();
        assertThat(s.records()).isEqualTo(1);

        CloudTrailCodec.Collected missing = new CloudTrailCodec.Collected();
        LogFiles.read(new CloudTrailCodec(), dir.resolve("gone.json"), missing);
        assertThat(missing.rejected).singleElement()
                .satisfies(r -> assertThat(r.reason()).startsWith("cannot open file: NoSuchFileException"));
    }

    /**
     * A writer that renames its temporary files into place while a follow-mode source lists the directory:
     * an entry can vanish between the directory read and its attributes. Bounded: a fixed number of listings.
     */
    @Test
    void shouldPassOverFilesThatVanishWhileTheDirectoryIsListed() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                try {
                    Path tmp = dir.resolve(".incident-" + n + ".tmp");
                    Files.writeString(tmp, "{}");
                    Files.move(tmp, dir.resolve("incident-" + n + ".json"), StandardCopyOption.ATOMIC_MOVE);
                    Files.deleteIfExists(dir.resolve("incident-" + (n - 50) + ".json"));
                    n++;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }, "renaming-writer");
        writer.start();
        try {
            for (int i = 0; i < 3_000; i++) {
                List<Path> files = LogFiles.listFiles(dir);
                assertThat(files).noneMatch(p -> p.getFileName().toString().startsWith("."));
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
