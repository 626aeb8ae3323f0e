package io.kmswatch.emulator;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Turns every logger of this JVM to DEBUG (log4j through SLF4J, and {@code java.util.logging}, where the JDK's
 * HTTP server and client log) and keeps every line, message, context and stack trace, until closed, when the
 * previous levels and appenders are restored. The lines go only to the capture, not to the console.
 */
final class LogCapture implements AutoCloseable {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final Map<String, Level> levels = new HashMap<>();
    private final Map<String, Appender> rootAppenders = new HashMap<>();
    private final Appender appender;
    private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
    private final java.util.logging.Level julLevel = julRoot.getLevel();
    private final Handler[] julHandlers = julRoot.getHandlers();
    private final Handler julCapture;

    LogCapture() {
        Configuration config = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
                .withPattern("%d %p [%t] %c %X %m%n%ex").build();
        appender = new AbstractAppender("leak-capture", null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(getLayout().toSerializable(event).toString());
            }
        };
        appender.start();
        config.addAppender(appender);
        for (LoggerConfig logger : config.getLoggers().values()) {
            levels.put(logger.getName(), logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        LoggerConfig root = config.getRootLogger();
        levels.putIfAbsent(root.getName(), root.getLevel());
        root.setLevel(Level.DEBUG);
        rootAppenders.putAll(root.getAppenders());
        rootAppenders.keySet().forEach(root::removeAppender);
        root.addAppender(appender, Level.ALL, null);
        context.updateLoggers();

        SimpleFormatter formatter = new SimpleFormatter();
        julCapture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(formatter.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julCapture.setLevel(java.util.logging.Level.ALL);
        for (Handler h : julHandlers) {
            julRoot.removeHandler(h);
        }
        julRoot.addHandler(julCapture);
        julRoot.setLevel(java.util.logging.Level.ALL);
    }

    /** Every line captured so far. */
    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(appender.getName());
        rootAppenders.values().forEach(a -> root.addAppender(a, null, null));
        for (LoggerConfig logger : config.getLoggers().values()) {
            logger.setLevel(levels.get(logger.getName()));
        }
        root.setLevel(levels.get(root.getName()));
        context.updateLoggers();
        appender.stop();
        julRoot.removeHandler(julCapture);
        for (Handler h : julHandlers) {
            julRoot.addHandler(h);
        }
        julRoot.setLevel(julLevel);
    }
}
