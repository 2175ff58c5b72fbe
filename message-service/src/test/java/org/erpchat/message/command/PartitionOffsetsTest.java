package org.erpchat.message.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.Acknowledgment;

/** Commands finish out of order; what gets acknowledged (and so committed) never passes an unfinished one. */
class PartitionOffsetsTest {

    private final PartitionOffsets offsets = new PartitionOffsets();
    private final List<Long> acknowledged = new ArrayList<>();

    @Test
    void acknowledgesOnlyUpToTheOldestUnfinishedOffset() {
        for (long offset = 10; offset <= 15; offset++) {
            offsets.received(offset);
        }
        finish(10);
        assertThat(acknowledged).containsExactly(10L);
        // 11 is parked; 12 to 15 finish behind it.
        finish(12);
        finish(13);
        finish(15);
        assertThat(acknowledged).containsExactly(10L);
        finish(11);
        assertThat(acknowledged).containsExactly(10L, 13L);
        finish(14);
        assertThat(acknowledged).containsExactly(10L, 13L, 15L);
    }

    @Test
    void finishedOffsetsBetweenTwoUnfinishedOnesAreKeptOnce() {
        for (long offset = 0; offset < 1000; offset++) {
            offsets.received(offset);
        }
        // 0 and 500 stay unfinished; everything else finishes.
        for (long offset = 1; offset < 1000; offset++) {
            if (offset != 500) {
                finish(offset);
            }
        }
        assertThat(acknowledged).isEmpty();
        finish(0);
        assertThat(acknowledged).containsExactly(499L);
        finish(500);
        assertThat(acknowledged).containsExactly(499L, 999L);
    }

    @Test
    void nothingIsAcknowledgedAfterThePartitionIsRevoked() {
        offsets.received(1);
        offsets.received(2);
        offsets.revoke();
        finish(1);
        finish(2);
        assertThat(acknowledged).isEmpty();
        assertThat(offsets.isRevoked()).isTrue();
    }

    @Test
    void pacedOffsetsWaitForTheFlushWhichAcknowledgesOnlyTheHighestOnce() {
        PartitionOffsets paced = new PartitionOffsets(true);
        for (long offset = 20; offset <= 24; offset++) {
            paced.received(offset);
        }
        finish(paced, 20);
        finish(paced, 21);
        finish(paced, 23);
        assertThat(acknowledged).isEmpty();

        paced.flush();
        assertThat(acknowledged).containsExactly(21L);
        paced.flush();
        assertThat(acknowledged).containsExactly(21L);

        finish(paced, 22);
        finish(paced, 24);
        paced.flush();
        assertThat(acknowledged).containsExactly(21L, 24L);
    }

    @Test
    void aRevokedPacedPartitionFlushesNothing() {
        PartitionOffsets paced = new PartitionOffsets(true);
        paced.received(1);
        finish(paced, 1);
        paced.revoke();
        paced.flush();
        assertThat(acknowledged).isEmpty();
    }

    private void finish(long offset) {
        finish(offsets, offset);
    }

    private void finish(PartitionOffsets partition, long offset) {
        Acknowledgment ack = () -> acknowledged.add(offset);
        partition.finished(offset, ack);
    }
}
