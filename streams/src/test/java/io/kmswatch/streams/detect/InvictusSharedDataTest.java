package io.kmswatch.streams.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailCodec;
import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.Detection;
import io.kmswatch.events.Rejected;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.DetectionsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real attack-simulation traffic (invictus-ir/aws_dataset: 2,900 records, every KMS call made by
 * Secrets Manager or SSM on a user's behalf) must not raise a high or critical detection: the
 * service-caller false positives that flood other rule sets. Runs in the {@code shared-data} profile.
 */
class InvictusSharedDataTest {
    @Test
    void shouldRaiseNoHighOrCriticalDetectionOnRealServiceTraffic() {
        Path dir = VectorsSharedDataTest.sharedDir().resolve("datasets/invictus-ir__aws_dataset/CloudTrail");
        List<CloudTrailEvent> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        io.kmswatch.events.CodecFiles.read(new CloudTrailCodec(), dir, new CloudTrailCodec.Sink() {
            @Override
            public void record(CloudTrailEvent event, String location) {
                events.add(event);
            }

            @Override
            public void rejected(Rejected r) {
                rejected.add(r);
            }
        });
        assertThat(events).hasSizeGreaterThanOrEqualTo(2900);
        assertThat(events.stream().filter(CloudTrailEvent::isKms).count()).isEqualTo(240);

        List<Detection> detections;
        try (Harness h = new Harness(DetectionsConfig.defaultConfig())) {
            h.pipe(events);
            detections = h.detections();
        }
        assertThat(detections).as("detections on invictus: %s", detections)
                .noneMatch(d -> d.severity().atLeast(Severity.HIGH));
    }
}
