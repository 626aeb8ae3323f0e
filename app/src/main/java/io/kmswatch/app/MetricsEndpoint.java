package io.kmswatch.app;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The process's Prometheus registry and its {@code /metrics} HTTP endpoint (text exposition format).
 * Every stage registers its meters through a {@code MeterBinder} on {@link #registry()}.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final HttpServer server;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts the endpoint on {@code bind:port} (port 0 picks a free one; a negative port starts no
     * server, the registry still works).
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static MetricsEndpoint start(String bind, int port) {
        HttpServer http = null;
        if (port >= 0) {
            try {
                http = HttpServer.create(new InetSocketAddress(bind, port), 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve /metrics on " + bind + ":" + port + ": " + e.getMessage(), e);
            }
        }
        MetricsEndpoint endpoint = new MetricsEndpoint(http);
        new JvmMemoryMetrics().bindTo(endpoint.registry);
        new JvmThreadMetrics().bindTo(endpoint.registry);
        // ProcessorMetrics is left out: its system_cpu_count and process_cpu_time_ns_total break
        // Prometheus naming conventions (promtool check metrics).
        new UptimeMetrics().bindTo(endpoint.registry);
        endpoint.gc.bindTo(endpoint.registry);
        if (http != null) {
            http.createContext("/metrics", exchange -> {
                byte[] body = endpoint.registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.createContext("/", exchange -> {
                byte[] body = "kmswatch: metrics are at /metrics\n".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders("/".equals(exchange.getRequestURI().getPath()) ? 200 : 404, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            http.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "kmswatch-metrics");
                t.setDaemon(true);
                return t;
            }));
            http.start();
        }
        return endpoint;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds a component's meters. */
    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
    }

    /** The URL of the endpoint, or null when no server runs. */
    public String url() {
        if (server == null) {
            return null;
        }
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getHostString();
        return "http://" + host + ":" + a.getPort() + "/metrics";
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        gc.close();
        registry.close();
    }
}
