package org.erpchat.support.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Told of every record the shared error handler has dead-lettered (or skipped, when even its dead letter was too
 * large), once, after the dead letter is written; not when writing it failed and the record will be tried again. For
 * a service that owes someone an answer about the record. Runs on the listener's consumer thread: it must be quick,
 * and whatever it throws is logged and otherwise ignored.
 */
public interface DeadLetterObserver {

    /**
     * @param record the record as the listener received it; for one that could not be deserialized the value is
     *     empty and the raw bytes are in the deserializer's exception header
     * @param cause why the listener could not use it
     */
    void deadLettered(ConsumerRecord<?, ?> record, Exception cause);
}
