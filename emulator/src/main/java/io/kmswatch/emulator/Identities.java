package io.kmswatch.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.kmswatch.emulator.api.Caller;
import io.kmswatch.emulator.sigv4.CredentialLookup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The principals of an emulator, built from {@link EmulatorConfig}: access key id → {@link Caller} and secret.
 * Principal ids are derived deterministically from the ARN ({@code AIDA…} for users, {@code AROA…} for roles)
 * so that restarts and replays show the same ids.
 */
public final class Identities implements CredentialLookup {
    private final Map<String, Caller> callers = new HashMap<>();
    private final Map<String, String> secrets = new HashMap<>();
    private final Set<String> accounts = new HashSet<>();

    public Identities(EmulatorConfig config, Instant sessionsCreated) {
        String p = config.partition();
        for (EmulatorConfig.AccountConfig a : config.accounts()) {
            accounts.add(a.id());
            for (EmulatorConfig.UserConfig u : a.users()) {
                String arn = "arn:" + p + ":iam::" + a.id() + ":user/" + u.name();
                add(u.accessKeyId(), u.secretAccessKey(), new Caller("IAMUser", a.id(), arn, arn,
                        principalId("AIDA", arn), u.name(), u.accessKeyId(), null, null, null, null,
                        policies(u.policies()), new HashSet<>(u.viaServices())));
            }
            for (EmulatorConfig.RoleConfig r : a.roles()) {
                String roleArn = "arn:" + p + ":iam::" + a.id() + ":role/" + r.name();
                String roleId = principalId("AROA", roleArn);
                for (EmulatorConfig.SessionConfig s : r.sessions()) {
                    String arn = "arn:" + p + ":sts::" + a.id() + ":assumed-role/" + r.name() + "/" + s.name();
                    add(s.accessKeyId(), s.secretAccessKey(), new Caller("AssumedRole", a.id(), arn, roleArn,
                            roleId + ":" + s.name(), null, s.accessKeyId(), r.name(), roleId, s.name(),
                            sessionsCreated, policies(r.policies()), new HashSet<>(r.viaServices())));
                }
            }
            for (EmulatorConfig.AccessKeyConfig k : a.rootAccessKeys()) {
                String arn = "arn:" + p + ":iam::" + a.id() + ":root";
                // The root user is not subject to IAM policies; an allow-all stands for that.
                add(k.accessKeyId(), k.secretAccessKey(), new Caller("Root", a.id(), arn, arn, a.id(), null,
                        k.accessKeyId(), null, null, null, null,
                        List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"),
                        Set.of()));
            }
        }
    }

    private void add(String accessKeyId, String secret, Caller caller) {
        callers.put(accessKeyId, caller);
        secrets.put(accessKeyId, secret);
    }

    private static List<String> policies(List<JsonNode> nodes) {
        return nodes.stream().map(n -> n.isTextual() ? n.asText() : n.toString()).toList();
    }

    @Override
    public Optional<String> secretFor(String accessKeyId) {
        return Optional.ofNullable(secrets.get(accessKeyId));
    }

    /** The principal owning an access key. */
    public Optional<Caller> caller(String accessKeyId) {
        return Optional.ofNullable(callers.get(accessKeyId));
    }

    /** True for an account the emulator knows. */
    public boolean knowsAccount(String accountId) {
        return accounts.contains(accountId);
    }

    /** IAM identity policies of the principal an ARN names (user or role), empty when unknown. */
    public List<String> policiesOf(String policyArn) {
        for (Caller c : callers.values()) {
            if (c.policyArn().equals(policyArn)) {
                return c.identityPolicies();
            }
        }
        return List.of();
    }

    static String principalId(String prefix, String arn) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(arn.getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            StringBuilder sb = new StringBuilder(prefix);
            for (int i = 0; i < 17; i++) {
                sb.append(alphabet.charAt((h[i] & 0xff) % 32));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new EmulatorException("SHA-256 unavailable", e);
        }
    }
}
