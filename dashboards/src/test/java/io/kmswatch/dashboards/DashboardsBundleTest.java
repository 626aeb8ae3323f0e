package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardsBundleTest {
    @TempDir
    Path dir;

    @Test
    void shouldListExactlyTheFilesOfTheResourcesDirectory() throws Exception {
        try (Stream<Path> files = Files.walk(ModuleFiles.RESOURCES)) {
            List<String> onDisk = files.filter(Files::isRegularFile)
                    .map(p -> ModuleFiles.RESOURCES.relativize(p).toString().replace('\\', '/')).sorted().toList();
            assertThat(DashboardsBundle.FILES).containsExactlyInAnyOrderElementsOf(onDisk);
        }
    }

    @Test
    void shouldWriteEveryFileUnderTheDirectoryWithItsBundledBytes() throws Exception {
        List<Path> written = DashboardsBundle.writeTo(dir.resolve("grafana"));
        assertThat(written).hasSameSizeAs(DashboardsBundle.FILES);
        for (String file : DashboardsBundle.FILES) {
            assertThat(Files.readAllBytes(dir.resolve("grafana").resolve(file)))
                    .isEqualTo(Files.readAllBytes(ModuleFiles.RESOURCES.resolve(file)));
        }
    }

    @Test
    void shouldRefuseAFileThatIsNotBundled() {
        assertThatThrownBy(() -> DashboardsBundle.read("dashboards/nope.json"))
                .isInstanceOf(DashboardsException.class).hasMessageContaining("not a bundled file");
    }
}
