package io.kmswatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class QueueUrlsTest {
    @Test
    void shouldTellAnAwsQueueByItsHostAndALocalOneByItsEndpoint() {
        URI aws = QueueUrls.parse("https://sqs.eu-west-1.amazonaws.com/111122223333/kms-events");
        URI legacy = QueueUrls.parse("https://ap-south-1.queue.amazonaws.com/111122223333/q");
        URI local = QueueUrls.parse("http://127.0.0.1:4566/123456789012/q");

        assertThat(QueueUrls.awsRegion(aws)).isEqualTo("eu-west-1");
        assertThat(QueueUrls.ownEndpoint(aws)).isNull();
        assertThat(QueueUrls.awsRegion(legacy)).isEqualTo("ap-south-1");
        assertThat(QueueUrls.awsRegion(local)).isNull();
        assertThat(QueueUrls.ownEndpoint(local)).isEqualTo("http://127.0.0.1:4566");
        assertThatThrownBy(() -> QueueUrls.parse("http://127.0.0.1:4566")).hasMessageContaining("not a queue URL");
        assertThatThrownBy(() -> QueueUrls.parse("not a url")).hasMessageContaining("not a queue URL");
    }
}
