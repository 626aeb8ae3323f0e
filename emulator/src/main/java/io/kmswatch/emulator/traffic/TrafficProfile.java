package io.kmswatch.emulator.traffic;

import io.kmswatch.emulator.EmulatorException;
import io.kmswatch.events.config.ConfigYaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The organisation the traffic generator simulates ({@code --profile FILE}, YAML):
 *
 * <pre>
 * region: us-east-1
 * accounts: {production: "111122223333", staging: "222233334444", security: "333344445555",
 *            partner: "444455556666", external: "999900001111"}
 * applications:
 *   - {name: orders-api, workload: envelope, weight: 30}
 *   - {name: data-lake, workload: s3, weight: 20}
 * </pre>
 *
 * {@code partner} is the trusted partner that decrypts a shared key on purpose; {@code external} is an account
 * nobody trusts (the attacker's). Workloads: {@code envelope, s3, ebs, lambda, secrets, signing, hmac, partner,
 * staging, admin, mistakes}; weights set each application's share of the background calls.
 *
 * @param region       region of every key and call
 * @param accounts     the five account roles
 * @param applications the applications, in a fixed order (the order is part of what the seed reproduces)
 */
public record TrafficProfile(String region, Accounts accounts, List<Application> applications) {

    public TrafficProfile {
        region = region == null ? "us-east-1" : region;
        accounts = accounts == null ? Accounts.defaults() : accounts;
        applications = applications == null || applications.isEmpty() ? defaultApplications() : List.copyOf(applications);
        Set<String> names = new HashSet<>();
        Set<Workload> workloads = new HashSet<>();
        for (Application a : applications) {
            if (!names.add(a.name())) {
                throw new EmulatorException("application " + a.name() + " is listed twice");
            }
            workloads.add(a.workload());
        }
        for (Workload required : List.of(Workload.ENVELOPE, Workload.ADMIN, Workload.PARTNER, Workload.MISTAKES)) {
            if (!workloads.contains(required)) {
                // The incident scenarios act on these applications' keys and principals.
                throw new EmulatorException("the profile needs an application with workload "
                        + required.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    /** The built-in organisation: production, staging, security, a trusted partner and an untrusted account. */
    public static TrafficProfile defaults() {
        return new TrafficProfile(null, null, null);
    }

    /**
     * Reads a profile file.
     *
     * @throws EmulatorException when it cannot be read or is invalid
     */
    public static TrafficProfile load(Path file) {
        try {
            TrafficProfile p = ConfigYaml.read(Files.readString(file), System::getenv, TrafficProfile.class);
            return p == null ? defaults() : p;
        } catch (IOException | IllegalArgumentException e) {
            throw new EmulatorException("cannot read traffic profile " + file + ": " + e.getMessage(), e);
        }
    }

    /** The first application with a workload. */
    public Application first(Workload workload) {
        return applications.stream().filter(a -> a.workload() == workload).findFirst()
                .orElseThrow(() -> new EmulatorException("no application with workload " + workload));
    }

    /** The first application with a workload, if any. */
    public java.util.Optional<Application> find(Workload workload) {
        return applications.stream().filter(a -> a.workload() == workload).findFirst();
    }

    static List<Application> defaultApplications() {
        return List.of(
                new Application("orders-api", Workload.ENVELOPE, 30.0),
                new Application("data-lake", Workload.S3, 18.0),
                new Application("ebs-volumes", Workload.EBS, 8.0),
                new Application("reports-lambda", Workload.LAMBDA, 8.0),
                new Application("secrets-rotation", Workload.SECRETS, 6.0),
                new Application("ci-pipeline", Workload.SIGNING, 4.0),
                new Application("webhooks", Workload.HMAC, 8.0),
                new Application("partner-analytics", Workload.PARTNER, 6.0),
                new Application("staging-app", Workload.STAGING, 8.0),
                new Application("kms-admin", Workload.ADMIN, 2.0),
                new Application("intern", Workload.MISTAKES, 0.5));
    }

    /** Account ids by role; each a 12-digit id, all different. */
    public record Accounts(String production, String staging, String security, String partner, String external) {
        public Accounts {
            production = production == null ? "111122223333" : production;
            staging = staging == null ? "222233334444" : staging;
            security = security == null ? "333344445555" : security;
            partner = partner == null ? "444455556666" : partner;
            external = external == null ? "999900001111" : external;
            List<String> all = List.of(production, staging, security, partner, external);
            for (String id : all) {
                if (!id.matches("\\d{12}")) {
                    throw new EmulatorException("account id must be 12 digits: " + id);
                }
            }
            if (new HashSet<>(all).size() != all.size()) {
                throw new EmulatorException("the five profile accounts must differ: " + all);
            }
        }

        static Accounts defaults() {
            return new Accounts(null, null, null, null, null);
        }
    }

    /**
     * One application: a principal with its own key (but for admin, mistakes and partner) and a workload.
     *
     * @param name     IAM role or user name, also the key alias ({@code alias/<name>}); {@code [\w+=,.@-]{1,40}}
     * @param workload what it does
     * @param weight   its share of background calls, &gt;= 0
     */
    public record Application(String name, Workload workload, Double weight) {
        public Application {
            if (name == null || !name.matches("[\\w+=,.@-]{1,40}")) {
                throw new EmulatorException("application name must match [\\w+=,.@-]{1,40}: " + name);
            }
            if (workload == null) {
                throw new EmulatorException("application " + name + " needs a workload");
            }
            weight = weight == null ? 1.0 : weight;
            if (weight < 0) {
                throw new EmulatorException("application " + name + " weight must be >= 0");
            }
        }
    }

    /** What an application does to KMS. */
    public enum Workload {
        /** envelope encryption: GenerateDataKey, then Decrypt of stored data keys */
        ENVELOPE,
        /** S3 SSE-KMS through s3.amazonaws.com (invokedBy) */
        S3,
        /** EBS volume keys through ec2.amazonaws.com (invokedBy) */
        EBS,
        /** Lambda cold starts decrypting environment variables */
        LAMBDA,
        /** Secrets Manager through secretsmanager.amazonaws.com (invokedBy) */
        SECRETS,
        /** a CI pipeline signing artifacts with an RSA key */
        SIGNING,
        /** webhook HMAC generation and verification */
        HMAC,
        /** the trusted partner decrypting a shared key across accounts */
        PARTNER,
        /** the staging account's own application */
        STAGING,
        /** an administrator's routine CreateKey / TagResource / EnableKeyRotation / DescribeKey */
        ADMIN,
        /** a user who now and then calls what they may not (an occasional AccessDenied) */
        MISTAKES;

        @com.fasterxml.jackson.annotation.JsonCreator
        static Workload of(String value) {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }
}
