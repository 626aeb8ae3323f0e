package io.kmswatch.alerts;

import io.kmswatch.events.UndeliverableAlert;

/** Where a sink worker sends the alerts it gives up on ({@link DeadLetterPublisher} in production). */
interface DeadLetters {
    /** Publishes {@code dead}; runs {@code written}, on any thread, once it is safely stored. */
    void publish(UndeliverableAlert dead, Runnable written);

    /** Where they go, for log lines. */
    String topic();
}
