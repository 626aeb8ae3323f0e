package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.kmswatch.events.BadInputCorpus.Case;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the {@link BadInputCorpus} through the codec: no exception escapes, each bad record
 * is one rejection at its location with the reason the table names, and the good records in the same
 * file come through, in order.
 */
class BadInputCorpusTest {
    private final CloudTrailCodec codec = new CloudTrailCodec();

    static List<Case> cases() {
        return BadInputCorpus.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldRejectEachBadRecordWithItsReasonAndReadTheGoodOnes(Case c) {
        byte[] bytes = c.bytes();
        CloudTrailCodec.Collected got = new CloudTrailCodec.Collected();
        AtomicReference<ReadSummary> summary = new AtomicReference<>();

        assertThatNoException().isThrownBy(() ->
                summary.set(codec.read(new ByteArrayInputStream(bytes), c.name(), got)));

        List<String> ids = got.records.stream().map(CloudTrailEvent::eventId).toList();
        if (c.recordsMayBeAPrefix()) {
            assertThat(ids).as("records").hasSizeBetween(c.minimumRecords(), c.records().size());
            assertThat(ids).as("records").isEqualTo(c.records().subList(0, ids.size()));
        } else {
            assertThat(ids).as("records").containsExactlyElementsOf(c.records());
        }
        assertThat(got.rejected).as("rejections").hasSameSizeAs(c.rejections());
        for (int i = 0; i < c.rejections().size(); i++) {
            BadInputCorpus.Rejection expected = c.rejections().get(i);
            Rejected actual = got.rejected.get(i);
            assertThat(expected.matches(actual, c.name())).as("%s is %s", actual, expected).isTrue();
            // nothing to keep: no content, or a zip stream that yields no bytes (the file itself is still there)
            if (bytes.length > 0 && !actual.reason().startsWith("empty input")
                    && !actual.reason().contains("zip") && !actual.reason().startsWith("unreadable input: ")) {
                assertThat(actual.originalLength()).as("bytes kept with %s", actual).isPositive();
            }
            assertThat(actual.raw().length).isLessThanOrEqualTo(Rejected.MAX_RAW_BYTES);
        }
        assertThat(summary.get().records()).isEqualTo(got.records.size());
        assertThat(summary.get().rejected()).isEqualTo(got.rejected.size());
    }

    @Test
    void shouldHaveARowForEveryCommittedFile() throws IOException, URISyntaxException {
        Path dir = Path.of(BadInputCorpusTest.class.getResource(BadInputCorpus.RESOURCE_DIR).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(BadInputCorpus.committedNames());
        }
        assertThat(BadInputCorpus.cases()).extracting(Case::name).doesNotHaveDuplicates();
    }

    @Test
    void shouldReadTheWholeCorpusAsOneDirectoryWithoutStopping(@org.junit.jupiter.api.io.TempDir Path dir) {
        BadInputCorpus.writeAll(dir);
        CloudTrailCodec.Collected got = new CloudTrailCodec.Collected();

        ReadSummary summary = CodecFiles.read(codec, dir, got);

        long expectedRejections = cases().stream().mapToLong(c -> c.rejections().size()).sum();
        long expectedRecords = cases().stream().filter(c -> !c.recordsMayBeAPrefix())
                .mapToLong(c -> c.records().size()).sum();
        assertThat(summary.rejected()).isEqualTo(expectedRejections).isEqualTo(got.rejected.size());
        assertThat(got.records.stream().map(CloudTrailEvent::eventId))
                .containsAll(cases().stream().filter(c -> !c.recordsMayBeAPrefix())
                        .flatMap(c -> c.records().stream()).toList());
        assertThat(summary.records()).isGreaterThanOrEqualTo(expectedRecords);
    }
}
