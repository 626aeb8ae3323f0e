package io.kmswatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmswatch emulator} and {@code kmswatch demo}, run from the built jar: the emulator listens on 127.0.0.1
 * unless {@code --bind} names another address, and then the command warns on stderr that it is exposed. (The
 * demo's default, loopback only, is checked by {@link SecretLeakIT}, which runs it anyway.)
 */
@Tag("system")
class LoopbackBindIT {
    private static final Path JAR = Path.of(System.getProperty("kmswatch.jar", "target/kmswatch.jar")).toAbsolutePath();
    private static final Pattern LISTENING = Pattern.compile("KMS emulator listening on (http://\\S+)");
    private static final Pattern DEMO_EMULATOR = Pattern.compile("KMS emulator\\s+(http://\\S+)");
    private static final String WARNING = "which is not a loopback address";

    @Test
    void shouldListenOnLoopbackOnlyAndWarnAboutNothingByDefault(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("emulator.err");
        Process emulator = start(err, "emulator", "--port", "0");
        try {
            URI endpoint = URI.create(await(emulator, LISTENING));
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            try (Socket s = connect(InetAddress.getLoopbackAddress(), endpoint.getPort())) {
                assertThat(s.isConnected()).isTrue();
            }
            for (InetAddress other : nonLoopbackAddresses()) {
                assertThat(refused(other, endpoint.getPort())).as("connecting through %s is refused", other).isTrue();
            }
        } finally {
            stop(emulator);
        }
        assertThat(Files.readString(err)).doesNotContain(WARNING);
    }

    @Test
    void shouldListenElsewhereOnlyWithBindAndWarnAboutIt(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("emulator.err");
        Process emulator = start(err, "emulator", "--port", "0", "--bind", "0.0.0.0");
        try {
            URI endpoint = URI.create(await(emulator, LISTENING));
            for (InetAddress other : nonLoopbackAddresses()) {
                try (Socket s = connect(other, endpoint.getPort())) {
                    assertThat(s.isConnected()).as("reachable through %s", other).isTrue();
                }
            }
        } finally {
            stop(emulator);
        }
        assertThat(Files.readAllLines(err)).anySatisfy(l -> assertThat(l).contains("WARN").contains("bound to 0.0.0.0")
                .contains(WARNING));
    }

    @Test
    void shouldWarnWhenTheDemoIsToldToBindAnotherAddress(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("demo.err");
        Process demo = start(err, "demo", "--bind", "0.0.0.0", "--duration", "5s", "--metrics-port", "0",
                "--emulator-port", "0", "--status-every", "5s");
        try {
            URI endpoint = URI.create(await(demo, DEMO_EMULATOR));
            for (InetAddress other : nonLoopbackAddresses()) {
                try (Socket s = connect(other, endpoint.getPort())) {
                    assertThat(s.isConnected()).as("reachable through %s", other).isTrue();
                }
            }
            assertThat(demo.waitFor(3, TimeUnit.MINUTES)).as("demo ends after --duration").isTrue();
        } finally {
            stop(demo);
        }
        assertThat(demo.exitValue()).isZero();
        assertThat(Files.readAllLines(err)).anySatisfy(l -> assertThat(l).contains("WARN").contains("bound to 0.0.0.0")
                .contains(WARNING));
    }

    private static Process start(Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    /** The first group of the first stdout line matching {@code pattern}; stdout is drained after that. */
    private static String await(Process p, Pattern pattern) throws Exception {
        CompletableFuture<String> found = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    Matcher m = pattern.matcher(line);
                    if (m.find()) {
                        found.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                found.completeExceptionally(e);
            } finally {
                found.completeExceptionally(new IllegalStateException("output ended without " + pattern));
            }
        });
        reader.setDaemon(true);
        reader.start();
        return found.get(3, TimeUnit.MINUTES);
    }

    private static void stop(Process p) throws InterruptedException {
        if (p.isAlive()) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Socket connect(InetAddress address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), 2_000);
        return s;
    }

    private static boolean refused(InetAddress address, int port) throws IOException {
        try (Socket s = connect(address, port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        }
        return out;
    }
}
