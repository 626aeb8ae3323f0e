package io.kmswatch.emulator.traffic;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.ScenarioLabel;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each scenario run alone yields the CloudTrail records that define it — checked on the records the emulator
 * wrote, not on what the generator meant to do.
 */
class ScenarioRecordsIT {

    private static final TrafficProfile.Accounts ACCOUNTS = TrafficProfile.defaults().accounts();

    @TempDir
    Path dir;

    static Stream<String> scenarios() {
        return TrafficGenerator.scenarioTypes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldProduceTheRecordsThatDefineTheScenario(String type) {
        TrafficRuns.Result run = TrafficRuns.run(TrafficRuns.config(3, Duration.ofMinutes(20), 900, List.of(type),
                dir.resolve(type + ".jsonl")));

        assertThat(run.summary().labels()).singleElement().satisfies(label -> {
            assertThat(label.type()).isEqualTo(type);
            assertThat(label.lookAlike()).isEqualTo(label.expectedDetections().isEmpty());
            List<CloudTrailEvent> during = run.during(label);
            assertThat(during).as("records during " + type).isNotEmpty();
            check(type, label, during, run);
        });
    }

    private static void check(String type, ScenarioLabel label, List<CloudTrailEvent> during, TrafficRuns.Result run) {
        String key = label.keyArn();
        switch (type) {
            case "key-disabled-cleanup" -> {
                int disabled = indexOf(during, ok("DisableKey", key));
                int failing = indexOf(during, e -> e.eventName().equals("Decrypt") && key.equals(e.keyArn())
                        && "DisabledException".equals(e.errorCode()));
                int enabled = indexOf(during, ok("EnableKey", key));
                assertThat(disabled).isNotNegative();
                assertThat(failing).isGreaterThan(disabled);
                assertThat(enabled).isGreaterThan(failing);
                assertThat(during.stream().filter(e -> "DisabledException".equals(e.errorCode()))
                        .map(CloudTrailEvent::principal)).allMatch(p -> p.contains(":role/"));
            }
            case "decrypt-spike" -> assertThat(count(during, ok("Decrypt", key)
                    .and(e -> label.principal().equals(e.userIdentity().arn())))).isGreaterThanOrEqualTo(60);
            case "credential-compromise" -> {
                assertThat(count(during, ok("Decrypt", key).and(e -> TrafficWorld.COMPROMISED_IP.equals(e.sourceIpAddress()))))
                        .isGreaterThanOrEqualTo(40);
                assertThat(run.records().stream().filter(e -> e.eventTime().isBefore(label.start()))
                        .map(CloudTrailEvent::sourceIpAddress)).doesNotContain(TrafficWorld.COMPROMISED_IP);
            }
            case "key-deletion-scheduled" -> {
                assertThat(count(during, ok("ScheduleKeyDeletion", key))).isEqualTo(1);
                if (count(during, ok("CancelKeyDeletion", key)) > 0) {
                    assertThat(indexOf(during, ok("EnableKey", key))).isGreaterThan(indexOf(during, ok("CancelKeyDeletion", key)));
                }
            }
            case "key-destruction-chain" -> {
                int disabled = indexOf(during, ok("DisableKey", key));
                int scheduled = indexOf(during, ok("ScheduleKeyDeletion", key)
                        .and(e -> e.requestParameters().path("pendingWindowInDays").asInt() == 7));
                assertThat(disabled).isNotNegative();
                assertThat(scheduled).isGreaterThan(disabled);
            }
            case "key-policy-opened" -> assertThat(count(during, ok("PutKeyPolicy", key)
                    .and(e -> e.requestParameters().path("policy").asText().contains("\"Principal\":\"*\"")))).isEqualTo(1);
            case "key-policy-external-account", "cross-account-untrusted-decrypt" -> {
                assertThat(count(during, ok("PutKeyPolicy", key).and(e -> e.requestParameters().path("policy").asText()
                        .contains(ACCOUNTS.external())))).isEqualTo(1);
                if (type.equals("cross-account-untrusted-decrypt")) {
                    assertThat(count(during, ok("Decrypt", key).and(e -> ACCOUNTS.external().equals(e.callerAccountId()))))
                            .isGreaterThanOrEqualTo(10);
                }
            }
            case "grant-to-external-principal" -> assertThat(count(during, ok("CreateGrant", key).and(e ->
                    e.requestParameters().path("granteePrincipal").asText().contains(":" + ACCOUNTS.external() + ":"))))
                    .isEqualTo(1);
            case "external-key-encryption" -> {
                assertThat(key).contains(":" + ACCOUNTS.external() + ":");
                assertThat(count(during, ok("Encrypt", key).and(e -> ACCOUNTS.production().equals(e.callerAccountId()))))
                        .isGreaterThanOrEqualTo(5);
            }
            case "access-denied-enumeration" -> assertThat(count(during, e -> "AccessDeniedException".equals(e.errorCode())
                    && label.principal().equals(e.userIdentity().arn()))).isGreaterThanOrEqualTo(20);
            case "root-key-usage" -> assertThat(count(during, e -> "Root".equals(e.userIdentity().type()) && e.succeeded()))
                    .isGreaterThanOrEqualTo(3);
            case "key-rotation-disabled" -> assertThat(count(during, ok("DisableKeyRotation", key))).isEqualTo(1);
            case "key-material-deleted" -> assertThat(indexOf(during, ok("DeleteImportedKeyMaterial", key)))
                    .isGreaterThan(indexOf(during, ok("ImportKeyMaterial", key))).isPositive();
            case "planned-key-retirement" -> {
                assertThat(count(during, ok("ScheduleKeyDeletion", key)
                        .and(e -> e.requestParameters().path("pendingWindowInDays").asInt() == 30))).isEqualTo(1);
                assertThat(count(during, ok("DisableKey", key))).isZero();
            }
            case "trusted-partner-use" -> {
                assertThat(count(during, ok("Decrypt", key).and(e -> ACCOUNTS.partner().equals(e.callerAccountId()))))
                        .isGreaterThanOrEqualTo(4);
                assertThat(count(during, e -> ACCOUNTS.partner().equals(e.callerAccountId()) && !e.succeeded())).isZero();
            }
            case "deploy-doubles-traffic" -> {
                assertThat(count(during, ok("GenerateDataKey", key))).isPositive();
                assertThat(count(during, e -> key.equals(e.keyArn()) && !e.succeeded())).isZero();
            }
            case "s3-batch-via-service" -> {
                List<CloudTrailEvent> viaS3 = during.stream()
                        .filter(e -> "s3.amazonaws.com".equals(e.userIdentity().invokedBy())).toList();
                assertThat(viaS3).hasSizeGreaterThanOrEqualTo(80).allMatch(CloudTrailEvent::succeeded);
            }
            default -> throw new AssertionError("no record check for scenario " + type);
        }
        Map<String, Long> counts = run.eventNameCounts();
        assertThat(counts).containsKey("CreateKey");
    }

    private static Predicate<CloudTrailEvent> ok(String eventName, String keyArn) {
        return e -> e.eventName().equals(eventName) && e.succeeded() && keyArn != null && keyArn.equals(e.keyArn());
    }

    private static long count(List<CloudTrailEvent> records, Predicate<CloudTrailEvent> p) {
        return records.stream().filter(p).count();
    }

    private static int indexOf(List<CloudTrailEvent> records, Predicate<CloudTrailEvent> p) {
        for (int i = 0; i < records.size(); i++) {
            if (p.test(records.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
