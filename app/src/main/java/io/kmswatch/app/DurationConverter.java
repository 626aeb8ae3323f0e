package io.kmswatch.app;

import io.kmswatch.events.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Command-line durations in the config syntax: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code PT5M}. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
