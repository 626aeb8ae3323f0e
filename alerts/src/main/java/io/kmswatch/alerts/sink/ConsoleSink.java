package io.kmswatch.alerts.sink;

import io.kmswatch.events.Alert;
import io.kmswatch.events.Severity;
import java.io.PrintStream;

/**
 * Prints one readable line per alert:
 * <pre>
 * 2024-03-01T12:00:05Z HIGH     FIRING   key-disabled  KMS key disabled  key=arn:aws:kms:… acct=111122223333
 *   region=us-east-1 ×2 (count 1) id=3f2a…  $ aws kms enable-key --key-id … --region us-east-1
 * </pre>
 * (one line; wrapped here). ANSI colour by severity only when asked to, which the factory does when
 * stdout is a terminal.
 */
public final class ConsoleSink implements AlertSink {
    private static final String RESET = "\u001b[0m";

    private final String name;
    private final PrintStream out;
    private final boolean color;

    public ConsoleSink(String name, PrintStream out, boolean color) {
        this.name = name;
        this.out = out;
        this.color = color;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(Alert a) {
        String line = format(a, color);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** The line for an alert, with or without ANSI colour. */
    public static String format(Alert a, boolean color) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(a.lastEventTime()).append(' ');
        String sev = String.format("%-8s", a.severity().name());
        sb.append(color ? colour(a.severity()) + sev + RESET : sev).append(' ');
        sb.append(String.format("%-8s", a.status().name())).append(' ');
        sb.append(a.detection()).append("  ").append(a.title());
        if (a.keyArn() != null) {
            sb.append("  key=").append(a.keyArn());
        }
        if (a.accountId() != null) {
            sb.append(" acct=").append(a.accountId());
        }
        if (a.region() != null) {
            sb.append(" region=").append(a.region());
        }
        if (a.principal() != null) {
            sb.append(" by=").append(a.principal());
        }
        sb.append(" ×").append(a.occurrences()).append(" (count ").append(a.count()).append(')');
        sb.append(" id=").append(a.id(), 0, Math.min(12, a.id().length()));
        if (!a.runbook().commands().isEmpty()) {
            sb.append("  $ ").append(a.runbook().commands().get(0).replace('\n', ' '));
        }
        return sb.toString();
    }

    private static String colour(Severity s) {
        return switch (s) {
            case CRITICAL -> "\u001b[1;31m";
            case HIGH -> "\u001b[31m";
            case MEDIUM -> "\u001b[33m";
            case LOW -> "\u001b[36m";
            case INFO -> "\u001b[37m";
        };
    }
}
