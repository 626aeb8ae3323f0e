package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.events.config.ConfigYaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Configuration of the KMS emulator, bound from one YAML file (keys are the component names) and validated
 * here. Every member has a default, so {@code EmulatorConfig.defaults()} (or an empty file) runs an in-memory
 * emulator on 127.0.0.1:4599 with account {@code 111122223333} and IAM user {@code admin}
 * ({@code AKIAIOSFODNN7EXAMPLE} / {@code wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}) allowed {@code kms:*}.
 *
 * <pre>
 * port: 4599                 # 0 = ephemeral; KmsEmulator.endpoint() reports the bound port
 * bind: 127.0.0.1            # anything but loopback logs a warning
 * region: us-east-1          # default region when a request's credential scope has none
 * partition: aws
 * dataDir: /var/lib/kms      # journal; absent = in memory
 * auditLog: audit.ndjson     # one CloudTrail record per line; absent = none
 * trailDir: trail/           # S3-layout gzip files; absent = none
 * clockStart: 2026-01-01T00:00:00Z   # absent = now
 * clockSpeed: 1.0            # emulator seconds per real second (10080 = a week per minute)
 * trailRollMinutes: 5        # emulator minutes per trail file
 * maxBodyBytes: 1048576
 * threads: 16               # event loops of the HTTP server (a request runs on the loop that read it)
 * lookupMaxEvents: 50000     # LookupEvents keeps at most this many records (and 90 days), ~2-3 KB each
 * maxClockSkewSeconds: 300
 * keyIdSeed: 42             # draw key ids from this seed (reproducible runs); absent = random
 * accounts:
 *   - id: "111122223333"
 *     users:
 *       - name: admin
 *         accessKeyId: AKIA…
 *         secretAccessKey: …
 *         policies: [ {Version: "2012-10-17", Statement: [...]} ]   # objects or JSON strings
 *         viaServices: [s3.amazonaws.com]   # may send X-Kmswatch-Via-Service: s3.amazonaws.com
 *     roles:
 *       - name: app
 *         policies: [...]
 *         viaServices: []
 *         sessions:
 *           - {name: app-session, accessKeyId: ASIA…, secretAccessKey: …}
 *     rootAccessKeys:
 *       - {accessKeyId: AKIA…, secretAccessKey: …}
 * </pre>
 * Environment variables may appear as {@code ${NAME}} (or {@code ${NAME:-default}}) inside the file: the file is
 * read as every kmswatch configuration file is ({@link io.kmswatch.events.config.ConfigYaml#read}).
 */
public record EmulatorConfig(Integer port, String bind, String region, String partition, Path dataDir, Path auditLog,
                             Path trailDir, Instant clockStart, Double clockSpeed, Integer trailRollMinutes,
                             Integer maxBodyBytes, Integer threads, Integer lookupMaxEvents,
                             Integer maxClockSkewSeconds, List<AccountConfig> accounts, Long keyIdSeed) {

    public static final String DEFAULT_ACCOUNT = "111122223333";
    public static final String DEFAULT_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    public static final String DEFAULT_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static final String ALLOW_KMS_ALL =
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}";

    public EmulatorConfig {
        port = port == null ? 4599 : port;
        if (port < 0 || port > 65535) {
            throw new EmulatorException("port must be 0-65535: " + port);
        }
        bind = bind == null || bind.isBlank() ? "127.0.0.1" : bind;
        region = region == null ? "us-east-1" : region;
        partition = partition == null ? "aws" : partition;
        clockSpeed = clockSpeed == null ? 1.0 : clockSpeed;
        if (!(clockSpeed > 0) || clockSpeed > 1_000_000) {
            throw new EmulatorException("clockSpeed must be > 0 and <= 1000000: " + clockSpeed);
        }
        trailRollMinutes = trailRollMinutes == null ? 5 : trailRollMinutes;
        if (trailRollMinutes < 1) {
            throw new EmulatorException("trailRollMinutes must be >= 1");
        }
        maxBodyBytes = maxBodyBytes == null ? 1024 * 1024 : maxBodyBytes;
        if (maxBodyBytes < 64 * 1024) {
            throw new EmulatorException("maxBodyBytes must be >= 65536 (a 32 KiB key policy must fit)");
        }
        threads = threads == null ? 16 : threads;
        if (threads < 1 || threads > 512) {
            throw new EmulatorException("threads must be 1-512");
        }
        lookupMaxEvents = lookupMaxEvents == null ? 50_000 : lookupMaxEvents;
        if (lookupMaxEvents < 1) {
            throw new EmulatorException("lookupMaxEvents must be >= 1");
        }
        maxClockSkewSeconds = maxClockSkewSeconds == null ? 300 : maxClockSkewSeconds;
        accounts = accounts == null || accounts.isEmpty() ? List.of(AccountConfig.defaultAccount()) : List.copyOf(accounts);
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (AccountConfig a : accounts) {
            if (!ids.add(a.id())) {
                throw new EmulatorException("account " + a.id() + " is configured twice");
            }
            for (String k : a.accessKeyIds()) {
                if (!keys.add(k)) {
                    throw new EmulatorException("access key " + k + " is configured twice");
                }
            }
        }
    }

    /** The built-in configuration: every default. */
    public static EmulatorConfig defaults() {
        return new EmulatorConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * Reads a YAML file through the one configuration mechanism of kmswatch ({@code events/config}): {@code ${ENV}}
     * substitution ({@code ${NAME:-default}}, {@code $${} for a literal), then the shared mapper (unknown keys are
     * errors).
     *
     * @throws EmulatorException when the file cannot be read or is invalid; the message names the file and key
     */
    public static EmulatorConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new EmulatorException("cannot read emulator config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, System::getenv, file.toString());
    }

    /**
     * Binds YAML text, with {@code env} for {@code ${NAME}} references; an empty document is {@link #defaults()}.
     *
     * @param source names the text in error messages
     * @throws EmulatorException when the text is invalid; the message names the source and key
     */
    public static EmulatorConfig parse(String yaml, Function<String, String> env, String source) {
        try {
            EmulatorConfig c = ConfigYaml.read(yaml, env, EmulatorConfig.class);
            return c == null ? defaults() : c;
        } catch (IllegalArgumentException e) {
            throw new EmulatorException("invalid emulator config " + source + ": " + e.getMessage(), e);
        }
    }

    public EmulatorConfig withPort(int p) {
        return new EmulatorConfig(p, bind, region, partition, dataDir, auditLog, trailDir, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withBind(String b) {
        return new EmulatorConfig(port, b, region, partition, dataDir, auditLog, trailDir, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withDataDir(Path d) {
        return new EmulatorConfig(port, bind, region, partition, d, auditLog, trailDir, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withAuditLog(Path f) {
        return new EmulatorConfig(port, bind, region, partition, dataDir, f, trailDir, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withTrailDir(Path d) {
        return new EmulatorConfig(port, bind, region, partition, dataDir, auditLog, d, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withClock(Instant start, Double speed) {
        return new EmulatorConfig(port, bind, region, partition, dataDir, auditLog, trailDir, start, speed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withTrailRollMinutes(int minutes) {
        return new EmulatorConfig(port, bind, region, partition, dataDir, auditLog, trailDir, clockStart, clockSpeed,
                minutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, keyIdSeed);
    }

    public EmulatorConfig withAccounts(List<AccountConfig> a) {
        return new EmulatorConfig(port, bind, region, partition, dataDir, auditLog, trailDir, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, a, keyIdSeed);
    }

    /** Key ids drawn from {@code seed}, so the same calls in the same order create the same keys. */
    public EmulatorConfig withKeyIdSeed(Long seed) {
        return new EmulatorConfig(port, bind, region, partition, dataDir, auditLog, trailDir, clockStart, clockSpeed,
                trailRollMinutes, maxBodyBytes, threads, lookupMaxEvents, maxClockSkewSeconds, accounts, seed);
    }

    /** One AWS account: its IAM users, roles (with sessions) and optional root access keys. */
    public record AccountConfig(String id, List<UserConfig> users, List<RoleConfig> roles,
                                List<AccessKeyConfig> rootAccessKeys) {
        public AccountConfig {
            if (id == null || !id.matches("\\d{12}")) {
                throw new EmulatorException("account id must be 12 digits: " + id);
            }
            users = users == null ? List.of() : List.copyOf(users);
            roles = roles == null ? List.of() : List.copyOf(roles);
            rootAccessKeys = rootAccessKeys == null ? List.of() : List.copyOf(rootAccessKeys);
        }

        public static AccountConfig defaultAccount() {
            return new AccountConfig(DEFAULT_ACCOUNT, List.of(new UserConfig("admin", DEFAULT_ACCESS_KEY_ID,
                    DEFAULT_SECRET_ACCESS_KEY, List.of(new com.fasterxml.jackson.databind.node.TextNode(ALLOW_KMS_ALL)),
                    List.of())), List.of(), List.of());
        }

        List<String> accessKeyIds() {
            List<String> out = new ArrayList<>();
            users.forEach(u -> out.add(u.accessKeyId()));
            roles.forEach(r -> r.sessions().forEach(s -> out.add(s.accessKeyId())));
            rootAccessKeys.forEach(k -> out.add(k.accessKeyId()));
            return out;
        }
    }

    /** An IAM user with one access key. {@code toString} hides the secret. */
    public record UserConfig(String name, String accessKeyId, String secretAccessKey, List<JsonNode> policies,
                             List<String> viaServices) {
        public UserConfig {
            requireName(name, "user");
            requireKey(accessKeyId, secretAccessKey, "user " + name);
            policies = policies == null ? List.of() : List.copyOf(policies);
            viaServices = viaServices == null ? List.of() : List.copyOf(viaServices);
        }

        @Override
        public String toString() {
            return "UserConfig[" + name + ", " + accessKeyId + "]";
        }
    }

    /** An IAM role whose sessions have temporary ({@code ASIA…}) keys. */
    public record RoleConfig(String name, List<JsonNode> policies, List<SessionConfig> sessions,
                             List<String> viaServices) {
        public RoleConfig {
            requireName(name, "role");
            policies = policies == null ? List.of() : List.copyOf(policies);
            sessions = sessions == null ? List.of() : List.copyOf(sessions);
            viaServices = viaServices == null ? List.of() : List.copyOf(viaServices);
        }
    }

    /** One role session. {@code toString} hides the secret. */
    public record SessionConfig(String name, String accessKeyId, String secretAccessKey) {
        public SessionConfig {
            requireName(name, "session");
            requireKey(accessKeyId, secretAccessKey, "session " + name);
        }

        @Override
        public String toString() {
            return "SessionConfig[" + name + ", " + accessKeyId + "]";
        }
    }

    /** A long-term access key pair. {@code toString} hides the secret. */
    public record AccessKeyConfig(String accessKeyId, String secretAccessKey) {
        public AccessKeyConfig {
            requireKey(accessKeyId, secretAccessKey, "root");
        }

        @Override
        public String toString() {
            return "AccessKeyConfig[" + accessKeyId + "]";
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || !name.matches("[\\w+=,.@-]{1,64}")) {
            throw new EmulatorException(what + " name must match [\\w+=,.@-]{1,64}: " + name);
        }
    }

    private static void requireKey(String id, String secret, String who) {
        if (id == null || !id.matches("[A-Z0-9]{16,128}")) {
            throw new EmulatorException("access key id of " + who + " must be 16-128 upper-case letters/digits");
        }
        if (secret == null || secret.isEmpty()) {
            throw new EmulatorException("secret access key of " + who + " is missing");
        }
    }

    @Override
    public String toString() {
        return "EmulatorConfig[" + bind + ":" + port + ", dataDir=" + dataDir + ", accounts=" + accounts.size() + "]";
    }
}
