package io.kmswatch.ingest.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kmswatch.ingest.LogFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SqsMessageTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-03-02T08:15:03Z");

    static String eventBridge(String record) {
        return "{\"version\":\"0\",\"id\":\"6a7e8feb-b491-4cf7-a9f1-bf3703467718\",\"detail-type\":\"AWS API Call via"
                + " CloudTrail\",\"source\":\"aws.kms\",\"account\":\"111122223333\",\"time\":\"2026-03-02T08:15:03Z\","
                + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + record + "}";
    }

    static String sns(String inner) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("Type", "Notification").put("MessageId", "m-1").put("TopicArn", "arn:aws:sns:us-east-1:111122223333:t")
                .put("Message", inner).put("Timestamp", "2026-03-02T08:15:04.000Z");
        return n.toString();
    }

    static String s3Notification(String bucket, String eventName, String... keys) {
        StringBuilder b = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < keys.length; i++) {
            b.append(i > 0 ? "," : "").append("{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":")
                    .append("\"us-east-1\",\"eventTime\":\"2026-03-02T08:20:00.000Z\",\"eventName\":\"").append(eventName)
                    .append("\",\"s3\":{\"bucket\":{\"name\":\"").append(bucket).append("\",\"arn\":\"arn:aws:s3:::")
                    .append(bucket).append("\"},\"object\":{\"key\":\"").append(keys[i]).append("\",\"size\":1234}}}");
        }
        return b.append("]}").toString();
    }

    @Test
    void shouldHandTheWholeEventBridgeEnvelopeToTheCodecRawOrInsideSns() {
        String eb = eventBridge(LogFixtures.kms("e-1", T));
        SqsMessage raw = SqsMessage.parse(eb, MAPPER);
        SqsMessage wrapped = SqsMessage.parse(sns(eb), MAPPER);

        assertThat(raw).isInstanceOfSatisfying(SqsMessage.Events.class, e -> {
            assertThat(new String(e.json(), StandardCharsets.UTF_8)).isEqualTo(eb);
            assertThat(e.sns()).isFalse();
        });
        assertThat(wrapped).isInstanceOfSatisfying(SqsMessage.Events.class, e -> {
            assertThat(new String(e.json(), StandardCharsets.UTF_8)).isEqualTo(eb);
            assertThat(e.sns()).isTrue();
        });
    }

    @Test
    void shouldTellAnS3NotificationFromATrailFileAndDecodeItsKeys() {
        String body = s3Notification("org-trail", "ObjectCreated:Put",
                "AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/03/02/a+b%3Dc.json.gz");

        assertThat(SqsMessage.parse(body, MAPPER)).isInstanceOfSatisfying(SqsMessage.Objects.class, o -> {
            assertThat(o.objects()).containsExactly(new SqsMessage.S3Ref("org-trail",
                    "AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/03/02/a b=c.json.gz"));
            assertThat(o.passedOver()).isZero();
        });
        // a trail file's {"Records":[…]} on a queue is not an S3 notification
        assertThat(SqsMessage.parse(LogFixtures.records(java.util.List.of(LogFixtures.kms("e", T))), MAPPER))
                .isInstanceOfSatisfying(SqsMessage.Invalid.class, i -> assertThat(i.reason()).contains("Records"));
    }

    @Test
    void shouldPassOverDigestsAndEventsOtherThanObjectCreated() {
        assertThat(SqsMessage.parse(s3Notification("b", "ObjectCreated:CompleteMultipartUpload",
                "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/d.json.gz", "AWSLogs/1/x.json.gz"), MAPPER))
                .isInstanceOfSatisfying(SqsMessage.Objects.class, o -> {
                    assertThat(o.objects()).extracting(SqsMessage.S3Ref::key).containsExactly("AWSLogs/1/x.json.gz");
                    assertThat(o.passedOver()).isEqualTo(1);
                });
        assertThat(SqsMessage.parse(s3Notification("b", "ObjectRemoved:Delete", "AWSLogs/1/x.json.gz"), MAPPER))
                .isInstanceOfSatisfying(SqsMessage.Objects.class, o -> {
                    assertThat(o.objects()).isEmpty();
                    assertThat(o.passedOver()).isEqualTo(1);
                });
    }

    @Test
    void shouldReadCloudTrailsOwnNotificationRawOrInsideSns() {
        String ct = "{\"s3Bucket\":\"org-trail\",\"s3ObjectKey\":[\"AWSLogs/1/CloudTrail/us-east-2/2026/03/02/f.json.gz\","
                + "\"AWSLogs/1/CloudTrail-Digest/us-east-2/2026/03/02/d.json.gz\"]}";
        for (String body : new String[] {ct, sns(ct)}) {
            assertThat(SqsMessage.parse(body, MAPPER)).isInstanceOfSatisfying(SqsMessage.Objects.class, o -> {
                assertThat(o.objects()).containsExactly(new SqsMessage.S3Ref("org-trail",
                        "AWSLogs/1/CloudTrail/us-east-2/2026/03/02/f.json.gz"));
                assertThat(o.passedOver()).isEqualTo(1);
            });
        }
    }

    @Test
    void shouldIgnoreTestEventsAndSubscriptionConfirmations() {
        String test = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":\"2026-03-02T08:00:00.000Z\","
                + "\"Bucket\":\"org-trail\",\"RequestId\":\"r\",\"HostId\":\"h\"}";
        assertThat(SqsMessage.parse(test, MAPPER)).isInstanceOf(SqsMessage.Ignored.class);
        assertThat(SqsMessage.parse(sns(test), MAPPER)).isInstanceOf(SqsMessage.Ignored.class);
        assertThat(SqsMessage.parse("{\"Type\":\"SubscriptionConfirmation\",\"TopicArn\":\"arn:aws:sns:us-east-1:1:t\","
                + "\"SubscribeURL\":\"https://example.invalid\"}", MAPPER))
                .isInstanceOfSatisfying(SqsMessage.Ignored.class, i -> assertThat(i.what()).contains("confirm"));
    }

    @Test
    void shouldGiveAReasonForEveryBodyItCannotRead() {
        assertThat(reason("")).contains("empty");
        assertThat(reason("not json")).contains("not JSON");
        assertThat(reason("[1,2]")).contains("not a JSON object");
        assertThat(reason("{\"hello\":1}")).contains("not an EventBridge event");
        assertThat(reason(sns("{\"hello\":1}"))).contains("inside an SNS notification");
        assertThat(reason(sns("{broken"))).contains("SNS Message is not JSON");
        assertThat(reason("{\"detail-type\":\"Scheduled Event\",\"detail\":{}}")).contains("not a CloudTrail record");
        assertThat(reason("{\"s3Bucket\":\"b\",\"s3ObjectKey\":[1]}")).contains("s3ObjectKey");
    }

    private static String reason(String body) {
        SqsMessage m = SqsMessage.parse(body, MAPPER);
        assertThat(m).isInstanceOf(SqsMessage.Invalid.class);
        return ((SqsMessage.Invalid) m).reason();
    }

    @Test
    void shouldDeriveRegionAndEndpointFromTheQueueUrl() {
        SqsQueueConfig aws = SqsQueueConfig.of("https://sqs.eu-west-1.amazonaws.com/111122223333/kms-events");
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(aws.endpoint()).isNull();
        assertThat(aws.s3EndpointUrl()).isNull();
        assertThat(aws.name()).isEqualTo("kms-events");

        SqsQueueConfig local = SqsQueueConfig.of("http://127.0.0.1:4566/123456789012/q");
        assertThat(local.endpoint()).isEqualTo("http://127.0.0.1:4566");
        assertThat(local.s3EndpointUrl()).isEqualTo("http://127.0.0.1:4566");
        assertThat(local.region()).isEqualTo("us-east-1");

        assertThatThrownBy(() -> SqsQueueConfig.of("http://127.0.0.1:4566")).hasMessageContaining("not a queue URL");
        assertThatThrownBy(() -> SqsConfig.of()).hasMessageContaining("at least one queue");
        assertThatThrownBy(() -> SqsConfig.of("http://h/1/q").withWaitTime(java.time.Duration.ofSeconds(30)))
                .hasMessageContaining("waitTime");
    }
}
