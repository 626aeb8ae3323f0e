package io.kmswatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Grafana provisioning files, checked structurally (no Grafana server runs here): required keys, a
 * datasource whose uid the dashboards' variable defaults to, and a provider whose path is the dashboards
 * directory once {@code KMSWATCH_GRAFANA_DIR} is expanded.
 */
class ProvisioningTest {
    @Test
    void shouldProvisionOnePrometheusDatasourceByUid() {
        JsonNode file = ModuleFiles.yaml(ModuleFiles.PROVISIONING.resolve("datasources/kmswatch.yaml"));
        assertThat(file.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(file.path("datasources")).hasSize(1);
        JsonNode ds = file.path("datasources").get(0);
        assertThat(ds.path("type").asText()).isEqualTo("prometheus");
        assertThat(ds.path("access").asText()).isEqualTo("proxy");
        assertThat(ds.path("name").asText()).isNotBlank();
        assertThat(ds.path("url").asText()).isEqualTo("${KMSWATCH_PROMETHEUS_URL}");
        for (Path d : ModuleFiles.dashboards()) {
            JsonNode current = ModuleFiles.json(d).path("templating").path("list").get(0).path("current");
            assertThat(current.path("value").asText()).as("%s selects the provisioned datasource", d.getFileName())
                    .isEqualTo(ds.path("uid").asText());
            assertThat(current.path("text").asText()).isEqualTo(ds.path("name").asText());
        }
    }

    @Test
    void shouldProvisionTheDashboardsDirectoryAsAFileProvider() {
        JsonNode file = ModuleFiles.yaml(ModuleFiles.PROVISIONING.resolve("dashboards/kmswatch.yaml"));
        assertThat(file.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(file.path("providers")).hasSize(1);
        JsonNode p = file.path("providers").get(0);
        assertThat(p.path("type").asText()).isEqualTo("file");
        assertThat(p.path("name").asText()).isNotBlank();
        assertThat(p.path("folder").asText()).isNotBlank();
        String path = p.path("options").path("path").asText();
        assertThat(path).isEqualTo("${KMSWATCH_GRAFANA_DIR}/dashboards");
        Path resolved = Path.of(path.replace("${KMSWATCH_GRAFANA_DIR}", ModuleFiles.RESOURCES.toString()));
        assertThat(resolved).isEqualTo(ModuleFiles.DASHBOARDS);
    }
}
