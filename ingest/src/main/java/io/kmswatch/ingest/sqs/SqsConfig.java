package io.kmswatch.ingest.sqs;

import java.time.Duration;
import java.util.List;

/**
 * The SQS source: queues fed by an EventBridge rule ("AWS API Call via CloudTrail" events of
 * {@code aws.kms}), by S3 event notifications of the trail bucket, or by CloudTrail's own SNS
 * notification, raw or through an SNS topic. YAML key {@code sources.sqs}.
 *
 * @param queues            the queues; at least one
 * @param waitTime          long-poll wait of one receive, 1 s to 20 s; default 20 s (SQS's maximum: the
 *                          fewest empty receives, and a message is still returned the moment it arrives)
 * @param visibilityTimeout how long a received message stays hidden while it is read; it is extended
 *                          while a large file is still being read; default 60 s
 * @param maxMessages       messages per receive, 1–10; default 10
 * @param queueStatsInterval how often the queue's age of its oldest message is read (GetQueueAttributes);
 *                          default 30 s
 */
public record SqsConfig(List<SqsQueueConfig> queues, Duration waitTime, Duration visibilityTimeout,
                        Integer maxMessages, Duration queueStatsInterval) {
    public SqsConfig {
        if (queues == null || queues.isEmpty()) {
            throw new IllegalArgumentException("sources.sqs.queues must name at least one queue");
        }
        queues = List.copyOf(queues);
        waitTime = waitTime == null ? Duration.ofSeconds(20) : waitTime;
        if (waitTime.toSeconds() < 1 || waitTime.toSeconds() > 20) {
            throw new IllegalArgumentException("sources.sqs.waitTime must be 1s to 20s, got " + waitTime);
        }
        visibilityTimeout = visibilityTimeout == null ? Duration.ofSeconds(60) : visibilityTimeout;
        if (visibilityTimeout.toSeconds() < 2 || visibilityTimeout.toSeconds() > 43_200) {
            throw new IllegalArgumentException("sources.sqs.visibilityTimeout must be 2s to 12h, got "
                    + visibilityTimeout);
        }
        maxMessages = maxMessages == null ? 10 : maxMessages;
        if (maxMessages < 1 || maxMessages > 10) {
            throw new IllegalArgumentException("sources.sqs.maxMessages must be 1 to 10, got " + maxMessages);
        }
        queueStatsInterval = queueStatsInterval == null ? Duration.ofSeconds(30) : queueStatsInterval;
        if (queueStatsInterval.isNegative() || queueStatsInterval.isZero()) {
            throw new IllegalArgumentException("sources.sqs.queueStatsInterval must be positive");
        }
    }

    /** The given queue URLs with every other setting defaulted. */
    public static SqsConfig of(String... queueUrls) {
        return new SqsConfig(java.util.Arrays.stream(queueUrls).map(SqsQueueConfig::of).toList(), null, null, null,
                null);
    }

    /** A copy with another long-poll wait. */
    public SqsConfig withWaitTime(Duration d) {
        return new SqsConfig(queues, d, visibilityTimeout, maxMessages, queueStatsInterval);
    }

    /** A copy with another visibility timeout. */
    public SqsConfig withVisibilityTimeout(Duration d) {
        return new SqsConfig(queues, waitTime, d, maxMessages, queueStatsInterval);
    }
}
