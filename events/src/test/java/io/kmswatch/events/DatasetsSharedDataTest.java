package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The public datasets beside the checkout read as their README says they should. */
class DatasetsSharedDataTest {
    private final CloudTrailCodec codec = new CloudTrailCodec();

    private CloudTrailCodec.Collected read(Path p) {
        CloudTrailCodec.Collected c = new CloudTrailCodec.Collected();
        CodecFiles.read(codec, p, c);
        return c;
    }

    @Test
    void invictusReadsAll2900RecordsWith240FromKmsAndNoRejection() {
        CloudTrailCodec.Collected c = read(SharedData.path("datasets/invictus-ir__aws_dataset/CloudTrail"));
        assertThat(c.rejected).isEmpty();
        assertThat(c.records).hasSize(2900);
        assertThat(c.records.stream().filter(CloudTrailEvent::isKms)).hasSize(240);
        assertThat(c.records.stream().filter(CloudTrailEvent::isKms)).allSatisfy(e -> {
            assertThat(e.isServiceCaller()).isTrue();
            assertThat(e.keyArn()).startsWith("arn:aws:kms:");
            assertThat(e.isCrossAccount()).isFalse();
        });
    }

    @Test
    void stratusRedTeamArraysRead() {
        CloudTrailCodec.Collected c = read(SharedData.path("datasets/DataDog__stratus-red-team/detonation-logs"));
        assertThat(c.rejected).isEmpty();
        assertThat(c.records).hasSize(310);
    }

    @Test
    void kmsDocumentationExamplesRead() {
        CloudTrailCodec.Collected c = read(SharedData.path(
                "datasets/awsdocs__aws-kms-developer-guide/kms-cloudtrail-doc-examples.json"));
        assertThat(c.rejected).isEmpty();
        assertThat(c.records).hasSize(62);
        assertThat(c.records.stream().filter(CloudTrailEvent::isKms)).hasSize(60);
    }

    @Test
    void brokenZmallenFilesComeOutAsRejectionsWithReasonsNotCrashes() {
        CloudTrailCodec.Collected c = read(SharedData.path("datasets/zmallen__cloudtrail2sightings/cloudtrail.zip"));
        assertThat(c.records).hasSizeGreaterThanOrEqualTo(12);
        assertThat(c.rejected).isNotEmpty().allSatisfy(r -> {
            assertThat(r.location()).contains("cloudtrail.zip!");
            assertThat(r.reason()).isNotBlank();
        });
    }
}
