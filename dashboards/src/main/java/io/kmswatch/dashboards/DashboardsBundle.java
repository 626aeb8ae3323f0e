package io.kmswatch.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Grafana dashboards, Grafana provisioning files and Prometheus files shipped in this jar, under one
 * layout that {@link #writeTo} reproduces on disk:
 * <pre>
 * dashboards/*.json                       Grafana dashboards (schemaVersion 39, datasource variable)
 * provisioning/datasources/kmswatch.yaml  the Prometheus datasource (URL from KMSWATCH_PROMETHEUS_URL)
 * provisioning/dashboards/kmswatch.yaml   the file provider (path from KMSWATCH_GRAFANA_DIR)
 * prometheus/prometheus.yml               sample scrape config for /metrics on 127.0.0.1:9464
 * prometheus/kmswatch-*.rules.yml         recording and alerting rules
 * </pre>
 * Stateless; the file list is fixed at build time (a test keeps it equal to the resources directory).
 */
public final class DashboardsBundle {
    /** Every bundled file, as a path relative to the bundle root ({@code /} separated). */
    public static final List<String> FILES = List.of(
            "dashboards/kms-activity.json",
            "dashboards/security-alerts.json",
            "dashboards/pipeline-health.json",
            "provisioning/datasources/kmswatch.yaml",
            "provisioning/dashboards/kmswatch.yaml",
            "prometheus/prometheus.yml",
            "prometheus/kmswatch-recording.rules.yml",
            "prometheus/kmswatch-alerts.rules.yml");

    private DashboardsBundle() {
    }

    /**
     * The bytes of one bundled file.
     *
     * @param file one of {@link #FILES}
     * @throws DashboardsException when {@code file} is not bundled
     */
    public static byte[] read(String file) {
        if (!FILES.contains(file)) {
            throw new DashboardsException("not a bundled file: " + file + " (bundled: " + FILES + ")");
        }
        try (InputStream in = DashboardsBundle.class.getResourceAsStream("/" + file)) {
            if (in == null) {
                throw new DashboardsException("bundled file missing from the class path: " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DashboardsException("cannot read bundled file " + file, e);
        }
    }

    /**
     * Writes every bundled file under {@code dir} (created if needed), replacing files of the same name, so
     * that {@code grafana-server} can be pointed at {@code dir/provisioning} with
     * {@code KMSWATCH_GRAFANA_DIR=dir}, and Prometheus at {@code dir/prometheus/prometheus.yml}.
     *
     * @return the files written, in {@link #FILES} order
     * @throws DashboardsException when a file cannot be written
     */
    public static List<Path> writeTo(Path dir) {
        try {
            for (String file : FILES) {
                Path target = dir.resolve(file);
                Files.createDirectories(target.getParent());
                Files.write(target, read(file));
            }
        } catch (IOException e) {
            throw new DashboardsException("cannot write the dashboards bundle to " + dir + ": " + e.getMessage(), e);
        }
        return FILES.stream().map(dir::resolve).toList();
    }
}
