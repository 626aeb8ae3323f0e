package io.kmswatch.emulator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatorConfigTest {
    @TempDir
    Path dir;

    @Test
    void shouldDefaultToTheDocumentedAccountAndAdminUser() {
        EmulatorConfig c = EmulatorConfig.defaults();
        assertThat(c.port()).isEqualTo(4599);
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.accounts()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("111122223333");
            assertThat(a.users()).singleElement().satisfies(u -> {
                assertThat(u.name()).isEqualTo("admin");
                assertThat(u.accessKeyId()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
            });
        });
        Identities ids = new Identities(c, Instant.EPOCH);
        assertThat(ids.caller("AKIAIOSFODNN7EXAMPLE")).get()
                .satisfies(x -> assertThat(x.arn()).isEqualTo("arn:aws:iam::111122223333:user/admin"));
    }

    @Test
    void shouldBindYamlWithPolicyObjectsRolesAndRootKeys() throws Exception {
        Path f = dir.resolve("emulator.yaml");
        Files.writeString(f, """
                port: 0
                dataDir: /var/tmp/kms-data
                auditLog: logs/audit.ndjson
                trailDir: trail
                clockStart: 2026-01-01T00:00:00Z
                clockSpeed: 60
                trailRollMinutes: 1
                accounts:
                  - id: "444455556666"
                    users:
                      - name: bob
                        accessKeyId: AKIABOBEXAMPLE000001
                        secretAccessKey: ${HOME}
                        policies:
                          - Version: "2012-10-17"
                            Statement: [{Effect: Allow, Action: "kms:Decrypt", Resource: "*"}]
                        viaServices: [s3.amazonaws.com]
                    roles:
                      - name: app
                        sessions:
                          - {name: s1, accessKeyId: ASIAAPPSESSIONEXAM01, secretAccessKey: x}
                    rootAccessKeys:
                      - {accessKeyId: AKIAROOTEXAMPLE00001, secretAccessKey: y}
                """);
        EmulatorConfig c = EmulatorConfig.load(f);
        assertThat(c.port()).isZero();
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/tmp/kms-data"));
        assertThat(c.auditLog()).isEqualTo(Path.of("logs/audit.ndjson"));
        assertThat(c.trailDir()).isEqualTo(Path.of("trail"));
        assertThat(c.clockSpeed()).isEqualTo(60.0);
        assertThat(c.accounts().get(0).users().get(0).secretAccessKey()).isEqualTo(System.getenv("HOME"));
        Identities ids = new Identities(c, Instant.EPOCH);
        assertThat(ids.caller("AKIABOBEXAMPLE000001").orElseThrow().identityPolicies().get(0))
                .contains("\"kms:Decrypt\"");
        assertThat(ids.caller("AKIABOBEXAMPLE000001").orElseThrow().viaServices()).contains("s3.amazonaws.com");
        assertThat(ids.caller("ASIAAPPSESSIONEXAM01").orElseThrow().arn())
                .isEqualTo("arn:aws:sts::444455556666:assumed-role/app/s1");
        assertThat(ids.caller("AKIAROOTEXAMPLE00001").orElseThrow().type()).isEqualTo("Root");
        assertThat(c.toString() + c.accounts()).doesNotContain(System.getenv("HOME"));
    }

    @Test
    void shouldRejectInvalidValuesWithClearErrors() {
        assertThatThrownBy(() -> new EmulatorConfig.AccountConfig("123", null, null, null))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("12 digits");
        assertThatThrownBy(() -> EmulatorConfig.defaults().withPort(70000))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> EmulatorConfig.defaults().withClock(null, -1.0))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("clockSpeed");
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> EmulatorConfig.load(missing)).isInstanceOf(EmulatorException.class);
    }

    @Test
    void shouldReadThroughTheSharedConfigMechanism() {
        String yaml = """
                # port: ${NOT_SET_ANYWHERE}   a commented-out example does not demand its variable
                port: ${EMULATOR_PORT:-0}
                bind: "${EMULATOR_BIND}"
                accounts:
                  - id: "444455556666"
                    users:
                      - {name: bob, accessKeyId: AKIABOBEXAMPLE000001, secretAccessKey: "${BOB_SECRET}"}
                """;
        EmulatorConfig c = EmulatorConfig.parse(yaml, Map.of("EMULATOR_BIND", "127.0.0.2", "BOB_SECRET", "s3cr3t$x")::get,
                "emulator.yaml");

        assertThat(c.port()).isZero();
        assertThat(c.bind()).isEqualTo("127.0.0.2");
        assertThat(c.accounts().get(0).users().get(0).secretAccessKey()).isEqualTo("s3cr3t$x");
        assertThat(EmulatorConfig.parse("# nothing set\n", n -> null, "empty.yaml")).isEqualTo(EmulatorConfig.defaults());
    }

    @Test
    void shouldNameFileKeyAndVariableInErrorsWithoutValues() {
        assertThatThrownBy(() -> EmulatorConfig.parse("bind: ${EMULATOR_BIND}\n", n -> null, "emulator.yaml"))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("emulator.yaml")
                .hasMessageContaining("EMULATOR_BIND is not set");
        assertThatThrownBy(() -> EmulatorConfig.parse("prot: 4599\n", n -> null, "emulator.yaml"))
                .isInstanceOf(EmulatorException.class)
                .hasMessage("invalid emulator config emulator.yaml: key 'prot' (line 1) is not a known setting");
        assertThatThrownBy(() -> EmulatorConfig.parse("""
                accounts:
                  - id: "444455556666"
                    users:
                      - {name: bob, accessKeyId: lower-case-id, secretAccessKey: "${SECRET}"}
                """, Map.of("SECRET", "hunter2")::get, "emulator.yaml"))
                .isInstanceOf(EmulatorException.class).hasMessageContaining("key 'accounts[0].users[0]' (line 4)")
                .hasMessageContaining("access key id of user bob must be 16-128 upper-case letters/digits")
                .message().doesNotContain("hunter2");
    }
}
