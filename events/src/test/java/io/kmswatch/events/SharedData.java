package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the third-party data beside the checkout lives (system property {@code kmswatch.shared.dir}). */
final class SharedData {
    private SharedData() {
    }

    static Path dir() {
        String p = System.getProperty("kmswatch.shared.dir", "../../shared");
        Path dir = Path.of(p).toAbsolutePath().normalize();
        assertThat(dir).as("shared data directory (set -Dkmswatch.shared.dir)").isDirectory();
        return dir;
    }

    static Path path(String relative) {
        Path p = dir().resolve(relative);
        assertThat(Files.exists(p)).as(p + " exists").isTrue();
        return p;
    }
}
