package io.kmswatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmswatch.events.CloudTrailEvent;
import io.kmswatch.events.CloudTrailFixtures;
import org.junit.jupiter.api.Test;

class EventFilterTest {
    private static final java.time.Instant T = CloudTrailFixtures.T0;

    @Test
    void shouldKeepKmsRecords() {
        assertThat(EventFilter.keep(CloudTrailFixtures.decrypt().build())).isTrue();
        assertThat(EventFilter.keep(CloudTrailFixtures.disableKey().error("AccessDenied", "no").build())).isTrue();
    }

    @Test
    void shouldKeepS3WriteNamingAnSseKmsKey() {
        CloudTrailEvent put = CloudTrailEvent.parse(LogFixtures.s3Put("e-1", T,
                "arn:aws:kms:us-east-1:444455556666:key/ext"));
        assertThat(EventFilter.keep(put)).isTrue();
    }

    @Test
    void shouldSkipS3WriteWithoutSseKmsKeyAndOtherServices() {
        assertThat(EventFilter.keep(CloudTrailEvent.parse(LogFixtures.s3Put("e-2", T, null)))).isFalse();
        assertThat(EventFilter.keep(CloudTrailEvent.parse(LogFixtures.ec2("e-3", T)))).isFalse();
    }

    @Test
    void shouldKeepEveryRecordWhenAllEventsAreWanted() {
        assertThat(EventFilter.keep(CloudTrailEvent.parse(LogFixtures.ec2("e-4", T)), true)).isTrue();
        assertThat(EventFilter.keep(CloudTrailEvent.parse(LogFixtures.ec2("e-5", T)), false)).isFalse();
        assertThat(EventFilter.keep(CloudTrailFixtures.decrypt().build(), false)).isTrue();
    }

    @Test
    void shouldBindAllEventsUnderSourcesAndDefaultToKmsOnly() {
        IngestConfig on = IngestConfig.parse("sources: {allEvents: true}", name -> null, "test.yaml");
        assertThat(on.sources().allEvents()).isTrue();
        IngestConfig off = IngestConfig.parse("sources: {}", name -> null, "test.yaml");
        assertThat(off.sources().allEvents()).isFalse();
        assertThat(SourcesConfig.none().allEvents()).isFalse();
    }
}
