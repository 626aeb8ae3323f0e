package io.kmswatch.alerts;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records what some classes log (through the test's log4j2 configuration, so at its levels) while
 * open: the level and the formatted message of each event.
 */
final class LogCapture implements AutoCloseable {
    /** One logged event. */
    record Line(Level level, String message) {
    }

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final List<Logger> loggers;
    private final AbstractAppender appender;

    LogCapture(Class<?>... sources) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        loggers = Arrays.stream(sources).map(c -> context.getLogger(c.getName())).toList();
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage()));
            }
        };
        appender.start();
        loggers.forEach(l -> l.addAppender(appender));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Messages logged at {@code level} that contain {@code text}. */
    List<String> at(Level level, String text) {
        return lines.stream().filter(l -> l.level() == level && l.message().contains(text)).map(Line::message).toList();
    }

    @Override
    public void close() {
        loggers.forEach(l -> l.removeAppender(appender));
        appender.stop();
    }
}
