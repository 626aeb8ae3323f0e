package io.kmswatch.emulator.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kmswatch.emulator.EmulatorConfig;
import io.kmswatch.emulator.EmulatorConfig.AccessKeyConfig;
import io.kmswatch.emulator.EmulatorConfig.AccountConfig;
import io.kmswatch.emulator.EmulatorConfig.RoleConfig;
import io.kmswatch.emulator.EmulatorConfig.SessionConfig;
import io.kmswatch.emulator.EmulatorConfig.UserConfig;
import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.emulator.traffic.TrafficProfile.Application;
import io.kmswatch.emulator.traffic.TrafficProfile.Workload;
import io.kmswatch.events.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The simulated organisation, derived only from a {@link TrafficProfile} and a seed: its principals (each with
 * its own deterministic access key and, for direct callers, its own source address on the loopback network),
 * its keys with their key policies in the guide's administrator/user split, and the emulator accounts that make
 * the emulator know those principals. Immutable.
 */
public final class TrafficWorld {

    /** Name of the production account's root user principal. */
    public static final String ROOT = "root";
    /** Name of the untrusted external account's user. */
    public static final String OUTSIDER = "outsider";
    /** Name of the staging account's administrator. */
    public static final String STAGING_ADMIN = "staging-admin";
    /** The key the trusted partner decrypts. */
    public static final String SHARED_KEY = "shared-analytics";
    /** Source address the compromised credentials are used from. */
    public static final String COMPROMISED_IP = "127.0.0.250";

    private static final String APP_ACTIONS = "[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\","
            + "\"kms:DescribeKey\",\"kms:Sign\",\"kms:Verify\",\"kms:GetPublicKey\",\"kms:GenerateMac\",\"kms:VerifyMac\"]";
    private static final String ADMIN_ACTIONS = "[\"kms:Create*\",\"kms:Describe*\",\"kms:Enable*\",\"kms:List*\","
            + "\"kms:Put*\",\"kms:Update*\",\"kms:Revoke*\",\"kms:Disable*\",\"kms:Get*\",\"kms:Delete*\",\"kms:TagResource\","
            + "\"kms:UntagResource\",\"kms:ScheduleKeyDeletion\",\"kms:CancelKeyDeletion\",\"kms:ImportKeyMaterial\"]";

    private final TrafficProfile profile;
    private final long seed;
    private final Map<String, Principal> principals = new LinkedHashMap<>();
    private final Map<String, KeyPlan> keys = new LinkedHashMap<>();

    private TrafficWorld(TrafficProfile profile, long seed) {
        this.profile = profile;
        this.seed = seed;
        TrafficProfile.Accounts acc = profile.accounts();
        int host = 10;
        for (Application app : profile.applications()) {
            String account = switch (app.workload()) {
                case STAGING -> acc.staging();
                case PARTNER -> acc.partner();
                default -> acc.production();
            };
            boolean user = app.workload() == Workload.ADMIN || app.workload() == Workload.MISTAKES;
            String via = switch (app.workload()) {
                case S3 -> "s3.amazonaws.com";
                case EBS -> "ec2.amazonaws.com";
                case SECRETS -> "secretsmanager.amazonaws.com";
                default -> null;
            };
            String policy = switch (app.workload()) {
                case ADMIN -> identityPolicy("[\"kms:*\"]", "\"*\"");
                case MISTAKES -> identityPolicy("[\"kms:Describe*\",\"kms:List*\"]", "\"*\"");
                case PARTNER -> identityPolicy("[\"kms:Decrypt\",\"kms:GenerateDataKey\",\"kms:DescribeKey\"]",
                        "\"arn:aws:kms:*:" + acc.production() + ":key/*\"");
                default -> identityPolicy(APP_ACTIONS, "\"*\"");
            };
            add(new Principal(app.name(), account, user ? Kind.USER : Kind.ROLE_SESSION, policy, via,
                    "127.0.0." + host++, app.workload()));
        }
        add(new Principal(ROOT, acc.production(), Kind.ROOT, null, null, "127.0.0." + host++, null));
        add(new Principal(STAGING_ADMIN, acc.staging(), Kind.USER, identityPolicy("[\"kms:*\"]", "\"*\""), null,
                "127.0.0." + host++, null));
        add(new Principal(OUTSIDER, acc.external(), Kind.USER, identityPolicy("[\"kms:*\"]", "\"*\""), null,
                "127.0.0.251", null));

        String admin = profile.first(Workload.ADMIN).name();
        for (Application app : profile.applications()) {
            switch (app.workload()) {
                case ADMIN, MISTAKES, PARTNER -> { }
                case SIGNING -> addKey(new KeyPlan(app.name(), acc.production(), "RSA_2048", "SIGN_VERIFY", admin,
                        app.name(), false, null));
                case HMAC -> addKey(new KeyPlan(app.name(), acc.production(), "HMAC_256", "GENERATE_VERIFY_MAC", admin,
                        app.name(), false, null));
                case STAGING -> addKey(new KeyPlan(app.name(), acc.staging(), "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT",
                        STAGING_ADMIN, app.name(), false, null));
                default -> addKey(new KeyPlan(app.name(), acc.production(), "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", admin,
                        app.name(), true, null));
            }
        }
        addKey(new KeyPlan(SHARED_KEY, acc.production(), "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", admin,
                profile.first(Workload.ENVELOPE).name(), true, acc.partner()));
    }

    /** Builds the world of a profile and seed. */
    public static TrafficWorld create(TrafficProfile profile, long seed) {
        return new TrafficWorld(Objects.requireNonNull(profile, "profile"), seed);
    }

    public TrafficProfile profile() {
        return profile;
    }

    public long seed() {
        return seed;
    }

    /** Every principal, in a fixed order. */
    public List<Principal> principals() {
        return List.copyOf(principals.values());
    }

    /** A principal by name (an application name, {@link #ROOT}, {@link #OUTSIDER}, {@link #STAGING_ADMIN}). */
    public Principal principal(String name) {
        Principal p = principals.get(name);
        if (p == null) {
            throw new EmulatorException("no principal named " + name + " in the traffic world");
        }
        return p;
    }

    /** The keys created when the run starts, in creation order. */
    public List<KeyPlan> keys() {
        return List.copyOf(keys.values());
    }

    /** The emulator accounts that make an emulator know every principal of this world. */
    public List<AccountConfig> emulatorAccounts() {
        Map<String, List<UserConfig>> users = new LinkedHashMap<>();
        Map<String, List<RoleConfig>> roles = new LinkedHashMap<>();
        Map<String, List<AccessKeyConfig>> roots = new LinkedHashMap<>();
        TrafficProfile.Accounts acc = profile.accounts();
        for (String id : List.of(acc.production(), acc.staging(), acc.security(), acc.partner(), acc.external())) {
            users.put(id, new ArrayList<>());
            roles.put(id, new ArrayList<>());
            roots.put(id, new ArrayList<>());
        }
        for (Principal p : principals.values()) {
            List<JsonNode> policies = p.identityPolicy() == null ? List.of() : List.of(new TextNode(p.identityPolicy()));
            List<String> via = p.viaService() == null ? List.of() : List.of(p.viaService());
            switch (p.kind()) {
                case USER -> users.get(p.accountId()).add(new UserConfig(p.name(), p.accessKeyId(),
                        p.secretAccessKey(), policies, via));
                case ROLE_SESSION -> roles.get(p.accountId()).add(new RoleConfig(p.name(), policies,
                        List.of(new SessionConfig(p.sessionName(), p.accessKeyId(), p.secretAccessKey())), via));
                case ROOT -> roots.get(p.accountId()).add(new AccessKeyConfig(p.accessKeyId(), p.secretAccessKey()));
            }
        }
        List<AccountConfig> out = new ArrayList<>();
        users.keySet().forEach(id -> out.add(new AccountConfig(id, users.get(id), roles.get(id), roots.get(id))));
        return out;
    }

    /** {@code base} with this world's accounts in place of its own. */
    public EmulatorConfig emulatorConfig(EmulatorConfig base) {
        return base.withAccounts(emulatorAccounts());
    }

    /**
     * The key policy of a planned key: the account root (so IAM policies can delegate), the administrator
     * statement, the key-user statement, and for the shared key a statement for the partner account.
     */
    public String keyPolicy(KeyPlan key) {
        String partition = "aws";
        List<String> statements = new ArrayList<>();
        statements.add(statement("Enable IAM User Permissions", "arn:" + partition + ":iam::" + key.accountId() + ":root",
                "\"kms:*\"", null));
        statements.add(statement("Allow administration of the key", principal(key.admin()).policyArn(), ADMIN_ACTIONS, null));
        statements.add(statement("Allow use of the key", principal(key.user()).policyArn(), APP_ACTIONS, null));
        if (key.sharedWith() != null) {
            statements.add(statement("AllowCrossAccountUse", "arn:" + partition + ":iam::" + key.sharedWith() + ":root",
                    "[\"kms:Decrypt\",\"kms:GenerateDataKey\",\"kms:DescribeKey\"]", null));
        }
        return "{\"Version\":\"2012-10-17\",\"Id\":\"key-policy-" + key.alias() + "\",\"Statement\":["
                + String.join(",", statements) + "]}";
    }

    static String statement(String sid, String principalArn, String actions, String condition) {
        return "{\"Sid\":" + quote(sid) + ",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":" + quote(principalArn)
                + "},\"Action\":" + actions + ",\"Resource\":\"*\"" + (condition == null ? "" : ",\"Condition\":" + condition)
                + "}";
    }

    static String quote(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EmulatorException("cannot quote " + s, e);
        }
    }

    private static String identityPolicy(String actions, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":" + actions
                + ",\"Resource\":" + resource + "}]}";
    }

    private void add(Principal p) {
        principals.put(p.name(), p.withCredentials(seed));
    }

    private void addKey(KeyPlan k) {
        keys.put(k.alias(), k);
    }

    /** How a principal signs: an IAM user's key, an assumed-role session's key, or the account root's key. */
    public enum Kind { USER, ROLE_SESSION, ROOT }

    /**
     * A principal of the world. {@code toString} leaves the secret out.
     *
     * @param name            application name or a fixed name ({@link #ROOT}, {@link #OUTSIDER}, …)
     * @param accountId       its account
     * @param kind            user, role session or root
     * @param identityPolicy  its IAM policy (JSON), null for root
     * @param viaService      the AWS service it calls through ({@code invokedBy}), or null for direct calls
     * @param sourceIp        the loopback address its client binds, so each host has its own source IP
     * @param workload        its workload, null for the fixed principals
     * @param accessKeyId     derived from the seed and name
     * @param secretAccessKey derived from the seed and name; never logged
     */
    public record Principal(String name, String accountId, Kind kind, String identityPolicy, String viaService,
                            String sourceIp, Workload workload, String accessKeyId, String secretAccessKey) {

        Principal(String name, String accountId, Kind kind, String identityPolicy, String viaService, String sourceIp,
                  Workload workload) {
            this(name, accountId, kind, identityPolicy, viaService, sourceIp, workload, null, null);
        }

        Principal withCredentials(long seed) {
            String prefix = kind == Kind.ROLE_SESSION ? "ASIA" : "AKIA";
            byte[] id = sha256("access-key/" + seed + "/" + accountId + "/" + name);
            byte[] secret = sha256("secret/" + seed + "/" + accountId + "/" + name);
            return new Principal(name, accountId, kind, identityPolicy, viaService, sourceIp, workload,
                    prefix + base32(id).substring(0, 16), Base64.getEncoder().encodeToString(secret).substring(0, 40));
        }

        /** The ARN CloudTrail shows. */
        public String arn() {
            return switch (kind) {
                case USER -> "arn:aws:iam::" + accountId + ":user/" + name;
                case ROLE_SESSION -> "arn:aws:sts::" + accountId + ":assumed-role/" + name + "/" + sessionName();
                case ROOT -> "arn:aws:iam::" + accountId + ":root";
            };
        }

        /** The ARN policies name: the user, the role, or the root. */
        public String policyArn() {
            return switch (kind) {
                case USER -> "arn:aws:iam::" + accountId + ":user/" + name;
                case ROLE_SESSION -> "arn:aws:iam::" + accountId + ":role/" + name;
                case ROOT -> "arn:aws:iam::" + accountId + ":root";
            };
        }

        /** The session name of a role session. */
        public String sessionName() {
            return name + "-session";
        }

        @Override
        public String toString() {
            return "Principal[" + arn() + ", " + accessKeyId + ", from " + (viaService != null ? viaService : sourceIp) + "]";
        }
    }

    /**
     * A key created when the run starts.
     *
     * @param alias      alias name without {@code alias/}
     * @param accountId  owning account
     * @param keySpec    KMS KeySpec
     * @param keyUsage   KMS KeyUsage
     * @param admin      principal name of its administrator (who creates it)
     * @param user       principal name of its user
     * @param rotation   whether automatic rotation is turned on
     * @param sharedWith account the key is shared with on purpose, or null
     */
    public record KeyPlan(String alias, String accountId, String keySpec, String keyUsage, String admin, String user,
                          boolean rotation, String sharedWith) {
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new EmulatorException("SHA-256 unavailable", e);
        }
    }

    private static String base32(byte[] bytes) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(alphabet.charAt((b & 0xff) % 32));
        }
        return sb.toString();
    }
}
