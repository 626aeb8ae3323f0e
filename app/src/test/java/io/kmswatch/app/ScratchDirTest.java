package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDirTest {
    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));

    @Test
    void shouldCreateALockedDirectoryAndDeleteItOnClose(@TempDir Path root) throws Exception {
        Path dir;
        try (ScratchDir scratch = ScratchDir.create(root, "kmswatch-demo-")) {
            dir = scratch.path();
            assertThat(dir.getParent()).isEqualTo(root);
            assertThat(dir.getFileName().toString()).startsWith("kmswatch-demo-");
            assertThat(dir.resolve(".lock")).exists();
            Files.writeString(dir.resolve("state"), "x");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldDeleteWhatAKilledRunLeftButNotWhatALiveRunHolds(@TempDir Path root) throws Exception {
        Path killed = Files.createDirectory(root.resolve("kmswatch-demo-killed"));
        Files.writeString(killed.resolve(".lock"), "");
        Files.setLastModifiedTime(killed.resolve(".lock"), AN_HOUR_AGO);
        Files.createDirectories(killed.resolve("broker"));
        Path starting = Files.createDirectory(root.resolve("kmswatch-demo-starting"));
        Files.writeString(starting.resolve(".lock"), "");
        Path otherCommand = Files.createDirectory(root.resolve("kmswatch-replay-killed"));
        Files.writeString(otherCommand.resolve(".lock"), "");
        Files.setLastModifiedTime(otherCommand.resolve(".lock"), AN_HOUR_AGO);

        try (ScratchDir live = ScratchDir.create(root, "kmswatch-demo-")) {
            Files.setLastModifiedTime(live.path().resolve(".lock"), AN_HOUR_AGO);
            try (ScratchDir next = ScratchDir.create(root, "kmswatch-demo-")) {
                assertThat(killed).as("left by a killed run").doesNotExist();
                assertThat(starting).as("a run that has not locked yet").exists();
                assertThat(otherCommand).as("another command's").exists();
                assertThat(live.path()).as("held by a live run").exists();
                assertThat(next.path()).exists();
            }
        }
    }
}
