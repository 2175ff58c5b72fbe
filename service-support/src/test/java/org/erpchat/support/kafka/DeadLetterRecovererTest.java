package org.erpchat.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * What a dead letter keeps of a record: all of it while it fits half of Kafka's message limit, then, as far as needed,
 * without the stack trace, the value, the key and the inessential headers, saying what it left out. (The whole path,
 * with a real broker: presence-service's PoisonRecordsTest.)
 */
class DeadLetterRecovererTest {

    private static final TopicPartition DLT = new TopicPartition("chat.connection-events.dlt", -1);

    // Builds records only; nothing is ever sent through it.
    private final DeadLetterRecoverer recoverer =
            new DeadLetterRecoverer(new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of())), List.of());

    @Test
    void aRecordThatFitsIsCopiedWhole() {
        Headers headers = dltHeaders(2_000);
        ProducerRecord<Object, Object> letter =
                recoverer.createProducerRecord(record(bytes(10), bytes(100_000)), DLT, headers, null, null);

        assertThat((byte[]) letter.key()).hasSize(10);
        assertThat((byte[]) letter.value()).hasSize(100_000);
        assertThat(letter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_STACKTRACE))
                .isNotNull();
        assertThat(letter.headers().lastHeader(DeadLetterRecoverer.OMITTED_HEADER))
                .isNull();
        assertThat(letter.partition()).isNull();
    }

    @Test
    void aValueThatDoesNotFitIsLeftOutAfterTheStackTrace() {
        ProducerRecord<Object, Object> letter =
                recoverer.createProducerRecord(record(bytes(10), bytes(1_000_000)), DLT, dltHeaders(2_000), null, null);

        assertThat((byte[]) letter.key()).hasSize(10);
        assertThat(letter.value()).isNull();
        assertThat(omitted(letter)).containsExactly("stack trace of 2000 bytes", "value of 1000000 bytes");
        assertThat(letter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_TOPIC)).isNotNull();
    }

    @Test
    void aValueThatFailedToDeserializeCountsWithItsRawBytes() {
        ProducerRecord<Object, Object> letter =
                recoverer.createProducerRecord(record(bytes(10), null), DLT, dltHeaders(100), null, bytes(700_000));

        assertThat(letter.value()).isNull();
        assertThat(omitted(letter)).containsExactly("stack trace of 100 bytes", "value of 700000 bytes");
    }

    @Test
    void aKeyThatDoesNotFitIsLeftOutToo() {
        ProducerRecord<Object, Object> letter =
                recoverer.createProducerRecord(record(bytes(600_000), bytes(100)), DLT, dltHeaders(100), null, null);

        assertThat(letter.key()).isNull();
        assertThat((byte[]) letter.value()).hasSize(100);
        assertThat(omitted(letter)).containsExactly("stack trace of 100 bytes", "key of 600000 bytes");
    }

    @Test
    void aKeyAndAValueThatDoNotFitTogetherLoseTheValue() {
        ProducerRecord<Object, Object> letter = recoverer.createProducerRecord(
                record(bytes(400_000), bytes(400_000)), DLT, dltHeaders(100), null, null);

        assertThat((byte[]) letter.key()).hasSize(400_000);
        assertThat(letter.value()).isNull();
        assertThat(omitted(letter)).containsExactly("stack trace of 100 bytes", "value of 400000 bytes");
    }

    @Test
    void aKeyAndAValueThatDoNotFitApartAreBothLeftOut() {
        ProducerRecord<Object, Object> letter = recoverer.createProducerRecord(
                record(bytes(700_000), bytes(700_000)), DLT, dltHeaders(100), null, null);

        assertThat(letter.key()).isNull();
        assertThat(letter.value()).isNull();
        assertThat(omitted(letter))
                .containsExactly("stack trace of 100 bytes", "value of 700000 bytes", "key of 700000 bytes");
    }

    @Test
    void headersThatDoNotFitKeepOnlyWhereTheRecordCameFromAndWhatFailed() {
        Headers headers = dltHeaders(100);
        headers.add("x-producer-junk", bytes(900_000));
        ProducerRecord<Object, Object> letter =
                recoverer.createProducerRecord(record(bytes(10), bytes(10)), DLT, headers, null, null);

        assertThat(keys(letter.headers()))
                .containsOnly(
                        KafkaHeaders.DLT_ORIGINAL_TOPIC,
                        KafkaHeaders.DLT_EXCEPTION_FQCN,
                        DeadLetterRecoverer.OMITTED_HEADER);
        assertThat(omitted(letter)).last().asString().startsWith("headers of ");
    }

    private static ConsumerRecord<Object, Object> record(byte[] key, byte[] value) {
        return new ConsumerRecord<>(
                "chat.connection-events",
                0,
                42L,
                0L,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                new RecordHeaders(),
                java.util.Optional.empty());
    }

    /** The headers Spring Kafka has added by the time the dead letter is built, with a stack trace of this size. */
    private static Headers dltHeaders(int stackTraceBytes) {
        Headers headers = new RecordHeaders();
        headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, "chat.connection-events".getBytes(StandardCharsets.UTF_8));
        headers.add(
                KafkaHeaders.DLT_EXCEPTION_FQCN, "java.lang.IllegalArgumentException".getBytes(StandardCharsets.UTF_8));
        headers.add(KafkaHeaders.DLT_EXCEPTION_STACKTRACE, bytes(stackTraceBytes));
        return headers;
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    private static List<String> omitted(ProducerRecord<Object, Object> letter) {
        return StreamSupport.stream(
                        letter.headers()
                                .headers(DeadLetterRecoverer.OMITTED_HEADER)
                                .spliterator(),
                        false)
                .map(header -> new String(header.value(), StandardCharsets.UTF_8))
                .toList();
    }

    private static List<String> keys(Headers headers) {
        return Arrays.stream(headers.toArray()).map(Header::key).distinct().toList();
    }
}
