package io.kmswatch.emulator;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The emulator listens on 127.0.0.1 unless told otherwise, and binding another address is an explicit choice
 * ({@code bind} in the config, {@code --bind} on the command line) that is warned about.
 */
class LoopbackBindIT {
    private static final String WARNING = "not a loopback address";

    @Test
    void shouldListenOnLoopbackOnlyByDefault() throws Exception {
        List<String> warnings;
        try (LogCapture logs = new LogCapture();
             KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0))) {
            assertThat(emulator.config().bind()).isEqualTo("127.0.0.1");
            assertThat(emulator.boundAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(emulator.endpoint().getHost()).isEqualTo("127.0.0.1");
            for (InetAddress other : nonLoopbackAddresses()) {
                assertThatExceptionOfType(ConnectException.class).as("connecting through %s", other)
                        .isThrownBy(() -> connect(other, emulator.port()));
            }
            try (Socket s = connect(InetAddress.getLoopbackAddress(), emulator.port())) {
                assertThat(s.isConnected()).isTrue();
            }
            warnings = logs.lines().stream().filter(l -> l.contains(WARNING)).toList();
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void shouldRefuseATakenPortWithAClearErrorAndNoThreadsLeftBehind() throws Exception {
        try (KmsEmulator first = KmsEmulator.start(EmulatorConfig.defaults().withPort(0))) {
            long before = emulatorThreads();

            assertThatExceptionOfType(EmulatorException.class)
                    .isThrownBy(() -> KmsEmulator.start(EmulatorConfig.defaults().withPort(first.port())))
                    .withMessageContaining("cannot start the KMS emulator on 127.0.0.1:" + first.port())
                    .withMessageContaining("in use");
            // a stopped event loop's thread ends just after its termination is signalled: wait for it, bounded
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(emulatorThreads()).as("event loop threads of the failed start")
                            .isEqualTo(before));
        }
    }

    private static long emulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kms-emulator")).count();
    }

    @Test
    void shouldListenOnEveryAddressOnlyWhenToldToAndWarnAboutIt() throws Exception {
        List<String> warnings;
        try (LogCapture logs = new LogCapture();
             KmsEmulator emulator = KmsEmulator.start(EmulatorConfig.defaults().withPort(0).withBind("0.0.0.0"));
             AdminClient client = new AdminClient(emulator)) {
            assertThat(emulator.boundAddress().getAddress().isAnyLocalAddress()).isTrue();
            assertThat(client.kms().listKeys().keys()).isEmpty();
            for (InetAddress other : nonLoopbackAddresses()) {
                try (Socket s = connect(other, emulator.port())) {
                    assertThat(s.isConnected()).as("reachable through %s", other).isTrue();
                }
            }
            warnings = logs.lines().stream().filter(l -> l.contains(WARNING)).toList();
        }
        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains(" WARN ").contains("bound to 0.0.0.0").contains("Bind 127.0.0.1 unless you mean it"));
    }

    @Test
    void shouldReadBindFromTheConfigFileAndDefaultItToLoopback() throws IOException {
        Path file = Files.createTempFile("emulator", ".yaml");
        try {
            Files.writeString(file, "port: 0\n");
            assertThat(EmulatorConfig.load(file).bind()).isEqualTo("127.0.0.1");
            Files.writeString(file, "port: 0\nbind: 0.0.0.0\n");
            assertThat(EmulatorConfig.load(file).bind()).isEqualTo("0.0.0.0");
        } finally {
            Files.delete(file);
        }
    }

    private static Socket connect(InetAddress address, int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(address, port), 2_000);
        return s;
    }

    /** This host's addresses that are not loopback (none on a host without a network, which proves nothing more). */
    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
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

    /** An SDK client of the default admin for an emulator started without the fixture. */
    private record AdminClient(KmsClient kms) implements AutoCloseable {
        AdminClient(KmsEmulator emulator) {
            this(KmsClient.builder().endpointOverride(emulator.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(() -> AwsBasicCredentials.create(EmulatorConfig.DEFAULT_ACCESS_KEY_ID,
                            EmulatorConfig.DEFAULT_SECRET_ACCESS_KEY))
                    .httpClient(UrlConnectionHttpClient.create()).build());
        }

        @Override
        public void close() {
            kms.close();
        }
    }
}
