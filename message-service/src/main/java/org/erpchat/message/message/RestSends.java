package org.erpchat.message.message;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.erpchat.message.ratelimit.SendRateLimiter;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * REST sends, stored together when many arrive at once (group commit, as send commands are).
 *
 * <p>Each request hands its send to its sender's lane ({@link SenderLanes}) and waits. A lane that finds several sends
 * queued when it is done with the last ones stores them in one transaction ({@link SendBatches}) and answers each
 * request with its message. A send that is alone on its lane, that cannot join a batch (a first message to someone, an
 * invalid one, a sender just refused by the rate limit), or a batch that cannot be stored together (a repeat, a
 * refusal, a failure among them) goes back to its request thread, which sends it with
 * {@link MessageSender#send} exactly as it always did: every refusal and failure is decided and reported there. So
 * at low load a send costs one hand-over more than before; under load, far fewer round trips and commits.
 */
@Component
public class RestSends implements DisposableBean {

    /** A request waiting for its lane: stored with others, or left to itself (empty). */
    private record Waiting(SendRequest request, CompletableFuture<Optional<SendResult>> result) {}

    private static final int LANE_CAPACITY = 1_000;

    private final MessageSender sender;
    private final SendBatches batches;
    private final SendRateLimiter rateLimiter;
    private final SenderLanes<Waiting> lanes;

    RestSends(MessageSender sender, SendBatches batches, SendRateLimiter rateLimiter, RestSendProperties properties) {
        this.sender = sender;
        this.batches = batches;
        this.rateLimiter = rateLimiter;
        this.lanes = new SenderLanes<>(
                "rest-send-lane", properties.lanes(), LANE_CAPACITY, properties.maxBatch(), this::storeTogether);
    }

    /**
     * Sends a message as {@code request.senderId()}, as {@link MessageSender#send} does.
     *
     * @throws SendRejectedException when the send is refused; nothing was stored
     */
    public SendResult send(SendRequest unnamed) {
        // Named here rather than in the send path, so that the batch and the single send store the same id.
        SendRequest request = unnamed.clientMsgId() == null
                ? unnamed.normalized(unnamed.type(), unnamed.content(), MessageSender.serverClientMsgId())
                : unnamed;
        if (rateLimiter.isRefusing(request.senderId(), request.issuedAt())) {
            // Refused on this thread, without a transaction: a client sending past its limit never takes up its lane.
            return sender.send(request);
        }
        Waiting waiting = new Waiting(request, new CompletableFuture<>());
        try {
            lanes.submit(request.senderId(), waiting);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return sender.send(request);
        } catch (IllegalStateException e) {
            return sender.send(request); // shutting down: the lanes are closed
        }
        return waiting.result().join().orElseGet(() -> sender.send(request));
    }

    /** On a lane: several sends in one transaction, or each back to its own request thread. */
    private void storeTogether(List<Waiting> batch) {
        try {
            if (batch.size() > 1) {
                // Concurrent requests have no order among them, so a send left out may go after the others.
                List<Optional<SendResult>> stored = batches.sendThoseThatCan(
                        batch.stream().map(Waiting::request).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(stored.get(i));
                }
            }
        } finally {
            // Whatever went wrong here (a bug, an Error), no request is left waiting: each sends on its own.
            batch.forEach(waiting -> waiting.result().complete(Optional.empty()));
        }
    }

    /** After the web server has stopped taking requests: whatever is still queued is sent by its own request. */
    @Override
    public void destroy() {
        lanes.closeAndDrain().forEach(waiting -> waiting.result().complete(Optional.empty()));
    }
}
