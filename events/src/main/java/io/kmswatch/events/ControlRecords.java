package io.kmswatch.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Control records on {@code kms-events}: records that carry no CloudTrail event but tell the readers of the
 * topic something about the stream. A control record is marked by the header {@link #HEADER}
 * ({@code kmswatch-control}) whose value names its kind; readers recognise one by that header alone,
 * never by the shape of the record (a record without the header is never a control record, whatever its
 * value, and a control record is never an event, whatever its value).
 *
 * <p>The one kind so far is the <b>settle tick</b> ({@link #SETTLE}):
 * <pre>
 *   topic      kms-events, one tick to every partition
 *   key        none (null)
 *   value      none (null)
 *   timestamp  the stream time to advance to: the last event time of a finite input + the settle horizon
 *   headers    kmswatch-control: settle          (UTF-8)
 * </pre>
 * {@code kmswatch replay} and {@code kmswatch evaluate} write ticks after their input so that windows close
 * and stream-time punctuators fire as they would have in a pipeline that kept running; {@code detect}
 * advances its stream time with them and passes nothing of them to a detection.
 */
public final class ControlRecords {
    /** Header that marks a control record; its value (UTF-8) is the kind. */
    public static final String HEADER = "kmswatch-control";
    /** The kind of a settle tick. */
    public static final String SETTLE = "settle";

    private static final byte[] SETTLE_BYTES = SETTLE.getBytes(StandardCharsets.UTF_8);

    private ControlRecords() {
    }

    /** A settle tick for {@code partition} of {@code topic} ({@code kms-events}) at stream time {@code at}. */
    public static ProducerRecord<byte[], byte[]> settleTick(String topic, int partition, Instant at) {
        Objects.requireNonNull(topic, "topic");
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER, SETTLE_BYTES.clone());
        return new ProducerRecord<>(topic, partition, at.toEpochMilli(), null, null, headers);
    }

    /** Whether {@code headers} mark a control record of any kind. */
    public static boolean isControl(Headers headers) {
        return headers != null && headers.lastHeader(HEADER) != null;
    }

    /** Whether {@code headers} mark a settle tick. */
    public static boolean isSettleTick(Headers headers) {
        if (headers == null) {
            return false;
        }
        Header h = headers.lastHeader(HEADER);
        return h != null && h.value() != null && Arrays.equals(h.value(), SETTLE_BYTES);
    }
}
