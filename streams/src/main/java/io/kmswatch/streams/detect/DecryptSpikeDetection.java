package io.kmswatch.streams.detect;

import io.kmswatch.events.Detection;
import io.kmswatch.events.Severity;
import io.kmswatch.streams.RuleSettings;
import java.time.Duration;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * {@code decrypt-spike}: Decrypt and GenerateDataKey* calls on a key — and, separately, by one
 * principal on a key — in a {@code window} (default 5 min) exceed {@code factor} (default 10, the
 * guide's "10× normal") times their learned baseline and an absolute {@code floor} (default 100).
 * The baseline is the rolling median of the entity's closed windows over the {@code learningPeriod}
 * (default 1 h); an entity is not judged before it has been seen that long. The detection carries the
 * observed count, the baseline and the monthly cost impact at $0.03 per 10,000 requests. Calls an AWS
 * service makes on a principal's behalf ({@code invokedBy}) count for the key, not for the principal. See
 * {@link DecryptSpikeProcessor}.
 */
public final class DecryptSpikeDetection implements DetectionRule {
    public static final String ID = "decrypt-spike";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public RuleSettings defaults() {
        return RuleSettings.unset().withEnabled(true).withSeverity(Severity.HIGH).withWindow(Duration.ofMinutes(5))
                .withFactor(10).withFloor(100).withLearningPeriod(Duration.ofHours(1))
                .withForgetAfter(Duration.ofDays(30));
    }

    @Override
    public KStream<String, Detection> detect(KStream<String, KeyEvent> events, RuleContext ctx) {
        KStream<String, Detection> out = null;
        for (boolean perPrincipal : new boolean[] {false, true}) {
            String store = "kmswatch-" + ID + (perPrincipal ? "-key-principal" : "-key");
            String firstSeen = store + "-first-seen";
            Duration window = ctx.settings().window();
            int history = DecryptSpikeProcessor.gapWindows(window, ctx.grace())
                    + DecryptSpikeProcessor.learningWindows(window, ctx.settings().learningPeriod());
            ctx.windowStore(store, CountingProcessor.retention(window, ctx.grace(), history), window, WindowBucket.class);
            ctx.keyValueStore(firstSeen, Sighting.class);
            KStream<String, Detection> s = events.process(
                    () -> new DecryptSpikeProcessor(ctx, store, firstSeen, perPrincipal),
                    Named.as(ID + (perPrincipal ? "-key-principal" : "-key")), store, firstSeen);
            out = out == null ? s : out.merge(s, Named.as(ID + "-merge"));
        }
        return out;
    }
}
