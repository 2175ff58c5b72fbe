package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.erpchat.testsupport.TestTokens;
import org.junit.jupiter.api.Test;

/**
 * A request body is parsed into objects several times its size, so bodies above 1 MB are refused (413) before they
 * are read: one request with millions of ids could otherwise take the heap of the whole service. The gateways'
 * batches may be larger, and any body is read only up to a number of JSON tokens.
 */
class RequestBodyLimitTest extends MessageServiceTest {

    /** A group with about 1.5 MB of member ids (the limit on members applies only once they are read). */
    private static String hugeGroup() {
        return "{\"name\":\"huge\",\"member_ids\":["
                + LongStream.range(1_000_000, 1_180_000)
                        .mapToObj(Long::toString)
                        .collect(Collectors.joining(","))
                + "]}";
    }

    @Test
    void aBodyThatAnnouncesMoreThanTheLimitIsRefusedUnread() {
        Api.Response refused = api.as(knownUser()).postRaw("/api/groups", hugeGroup());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("invalid_request");
    }

    @Test
    void aBodySentInChunksIsCutOffAtTheLimit() {
        Api.Response refused = api.as(knownUser()).postChunked("/api/groups", hugeGroup());

        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.text("detail")).contains("larger than");
    }

    @Test
    void aBatchWithMoreValuesThanTheServiceReadsIsRefusedWhateverItsSize() {
        long alice = knownUser();
        // 130,000 positions: about 1.4 MB, within the batches' size, but 260,000 JSON tokens. Read in full, positions
        // take about 15 times their size in heap: a body of them at the batches' size limit (8 MB) about 120 MB.
        Api.Response refused = api.as(alice).postRaw("/api/sync/batch", syncBatch(alice, 130_000));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.code()).isEqualTo("invalid_request");
        assertThat(refused.text("detail"))
                .doesNotContain("StreamReadConstraints")
                .contains("more values");
    }

    @Test
    void bodiesUnderTheLimitAndBatchedResumesAboveItAreRead() {
        long alice = knownUser();
        Api.Response group =
                api.as(alice).postChunked("/api/groups", "{\"name\":\"small\",\"member_ids\":[" + knownUser() + "]}");
        assertThat(group.status()).as(group.toString()).isEqualTo(201);

        // About 2 MB of positions for one user: read, and answered for what they say (a gateway's batch).
        Api.Response batch = api.as(alice).postRaw("/api/sync/batch", syncBatch(alice, 99_999));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
    }

    /** A gateway's sync batch for one user, listing conversations 1 to {@code conversations} at position 0. */
    private static String syncBatch(long user, int conversations) {
        String positions = LongStream.rangeClosed(1, conversations)
                .mapToObj(id -> "\"" + id + "\":0")
                .collect(Collectors.joining(","));
        return "{\"requests\":[{\"token\":\"" + TestTokens.forUser(user) + "\",\"positions\":{" + positions + "}}]}";
    }
}
