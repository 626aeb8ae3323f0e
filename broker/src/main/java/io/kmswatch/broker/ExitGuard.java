package io.kmswatch.broker;

import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an in-process broker from terminating the JVM it is embedded in.
 *
 * <p>{@code KafkaRaftServer} handles fatal faults with {@code ProcessTerminatingFaultHandler},
 * which calls {@link Exit#halt(int)}. In {@code kmswatch demo} or a test JVM that would kill the
 * whole application (pitfall 7 of the recipe). While at least one in-process broker runs, the
 * halt and exit procedures log the request and throw a {@link BrokerException} instead, which
 * unwinds the Kafka thread that hit the fault. The broker is then unhealthy and should be closed.
 *
 * <p>The procedures are JVM-wide statics in Kafka, hence the reference count. A child-JVM broker
 * ({@code BrokerMain}, test support) never installs the guard: there, terminating the process is the right
 * reaction and the parent sees it.
 */
final class ExitGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ExitGuard.class);
    private static int users;

    private ExitGuard() {
    }

    /** Installs the guard if no running broker has done so yet. */
    static synchronized void acquire() {
        if (users++ == 0) {
            Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
            Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        }
    }

    /** Restores Kafka's default procedures when the last in-process broker has stopped. */
    static synchronized void release() {
        if (users > 0 && --users == 0) {
            Exit.resetHaltProcedure();
            Exit.resetExitProcedure();
        }
    }

    private static void refuse(String what, int status, String message) {
        String text = "Embedded Kafka broker requested JVM " + what + "(" + status + ")"
                + (message == null ? "" : ": " + message)
                + "; refused so the host process survives. The broker hit a fatal fault and should be"
                + " closed and restarted.";
        LOG.error(text);
        // Throwing (rather than returning) matters: ProcessTerminatingFaultHandler returns null
        // after halt, and its callers would go on to `throw null`.
        throw new BrokerException(text);
    }
}
