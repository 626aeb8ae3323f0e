package io.kmswatch.broker;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives integration tests one shared in-process {@link EmbeddedKafkaBroker}
 * per test JVM, injected as a parameter of test, lifecycle or constructor methods:
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedKafkaExtension.class)
 * class LogFileSourceIT {
 *     @Test
 *     void shouldPublishEveryRecord(EmbeddedKafkaBroker kafka) {
 *         kafka.createTopics(4, "kms-events-" + UUID.randomUUID());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>The broker starts on first use (about 3 s) and is stopped, and its temporary directory
 * deleted, when the JUnit launcher session ends, which under surefire and failsafe is the end of the
 * forked JVM. Every test class in the JVM sees the same broker, so tests must not depend on a clean
 * broker: use unique topic names and group ids. Topic auto-creation is off; create topics with
 * {@link EmbeddedKafkaBroker#createTopics(int, String...)}. A test that needs to stop or restart a
 * broker should start its own instead.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {
    private static final Namespace NAMESPACE = Namespace.create(EmbeddedKafkaExtension.class);
    private static final AtomicInteger STARTS = new AtomicInteger();

    /** Creates the extension; JUnit calls this through {@code @ExtendWith}. */
    public EmbeddedKafkaExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker(extensionContext);
    }

    /**
     * Returns the shared broker, starting it if this is the first use in the launcher session; for
     * other extensions that need the broker too.
     *
     * @param context any extension context of the running test plan
     * @return the running shared broker
     * @throws BrokerException if the broker cannot be started
     */
    public static EmbeddedKafkaBroker broker(ExtensionContext context) {
        // The launcher-session store outlives every test class in the JVM and closes its
        // AutoCloseable values when the session ends, which stops the broker before the JVM exits.
        return context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .getOrComputeIfAbsent(EmbeddedKafkaBroker.class, key -> {
                    STARTS.incrementAndGet();
                    return EmbeddedKafkaBroker.start();
                }, EmbeddedKafkaBroker.class);
    }

    /** How many shared brokers this JVM has started; lets a test prove the broker is shared. */
    static int startedBrokers() {
        return STARTS.get();
    }
}
