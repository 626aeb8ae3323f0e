package io.kmswatch.events;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@code moto_server} (moto 5.2.1) on a free loopback port, started and stopped by the test. The
 * executable is {@code moto_server} on the PATH, or the {@code kmswatch.moto.server} system property.
 */
public final class MotoServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String exe = System.getProperty("kmswatch.moto.server", "moto_server");
        Path log = Files.createTempFile("moto-server-", ".log");
        Process p = new ProcessBuilder(exe, "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer server = new MotoServer(p, port, log);
        try {
            Awaitility.await("moto_server on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("moto_server exited with " + p.exitValue() + ": "
                                    + Files.readString(log));
                        }
                        HttpURLConnection c = (HttpURLConnection) URI.create(server.url() + "/").toURL().openConnection();
                        c.setConnectTimeout(500);
                        return c.getResponseCode() == 200;
                    });
            return server;
        } catch (ConditionTimeoutException e) {
            server.close();
            throw new IllegalStateException("moto_server did not answer on port " + port + ": " + Files.readString(log), e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a leftover temp log is harmless
        }
    }
}
