package org.erpchat.gateway.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.erpchat.gateway.backend.BackendException;
import org.erpchat.gateway.backend.BatchCallThreads;
import org.erpchat.gateway.backend.MessageServiceClient;
import org.erpchat.gateway.config.GatewayProperties;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.protocol.CloseCodes;
import org.erpchat.gateway.protocol.PreparedMessage;
import org.erpchat.gateway.protocol.ServerEvents;
import org.erpchat.gateway.protocol.StoredMessage;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.MessageStream;
import org.erpchat.gateway.session.OutboundFrame;
import org.erpchat.gateway.session.WriteBatch;
import org.erpchat.support.logging.FaultLog;
import org.erpchat.support.logging.KeyedFaultLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Fetches what a session missed from message-service and feeds it into the session's {@link MessageStream}: after a
 * {@code resume} (all conversations, from the client's positions, through {@code POST /api/sync}) or when a live
 * message revealed a gap (that conversation, through its history). Pages are fed at the client's pace: the next one
 * waits until the session's queue has room, so a week-long absence replays without overflowing anything. The first
 * page of a resume is asked for together with the other resumes starting at the same time ({@link FirstPages}), before
 * the catch-up takes a thread.
 *
 * <p>Live messages for the session are held while this runs (the stream subscribed before the fetch started) and
 * released afterwards, minus what the fetch already delivered: no gap and no duplicate at the junction.
 */
@Component
public class CatchUp implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    private final MessageServiceClient messageService;
    /**
     * The replays' own threads ({@code replay.threads}). A replay holds its thread while its client drains each chunk
     * (up to {@code pageWait} per chunk), so a few clients that read slowly would hold the shared task pool for
     * minutes, and typing, read markers, presence look-ups and closes queued there would wait behind them; here they
     * hold only other replays back.
     */
    private final ExecutorService executor;

    private final GatewayMetrics metrics;
    private final GatewayProperties.Replay settings;
    /** Failed replays: during a message-service outage every reconnecting client fails; one line with a count. */
    private final FaultLog failures =
            new FaultLog(log, "replaying what reconnecting clients missed", Duration.ofMinutes(1));

    private final KeyedFaultLog bugs = KeyedFaultLog.forBugs(log, "replaying: unexpected", Duration.ofMinutes(1), 20);
    /**
     * The first page of a resume is asked for before the catch-up takes a thread, so after a gateway restart every
     * resuming client's first page may wait in memory at once: it stays small. The pages after it are fetched one per
     * running catch-up and can be large.
     */
    private static final int FIRST_PAGE_MAX = 200;

    private final int syncPageSize;
    private final int gapPageSize;
    /** The most messages, and the most bytes of their frames, in one chunk: half the session's queue of each. */
    private final int chunkFrames;

    private final long chunkBytes;
    /**
     * A chunk is fed once it fits in three quarters of the queue, in frames and in bytes: the last quarter stays free
     * for what else the session is sent meanwhile (replies, typing, presence).
     */
    private final int feedFrames;

    private final long feedBytes;

    /** Where the queue must have drained to before the held live messages are released into it. */
    private final int releaseFrames;

    private final long releaseBytes;
    private final Duration pageWait;
    private final RetryTemplate retry;
    private final FirstPages firstPages;
    /**
     * Asks for the next sync page while the current one is written. Not the replays' pool: a replay running there
     * that waited for a page queued behind other replays could wait forever. Each replay has at most one page in
     * flight here, and replays run on their bounded pool, so this holds as many threads at most.
     */
    private final ExecutorService prefetch;

    /** A resume's first page as {@link FirstPages} answered it: the page, or why there is none. */
    private record Prefetched(MessageServiceClient.SyncPage page, Throwable failure) {}

    public CatchUp(
            MessageServiceClient messageService,
            BatchCallThreads batchCalls,
            GatewayMetrics metrics,
            GatewayProperties properties) {
        this.messageService = messageService;
        this.executor = Executors.newFixedThreadPool(properties.replay().threads(), daemonThreads("gateway-replay-"));
        this.metrics = metrics;
        this.settings = properties.replay();
        int maxFrames = properties.outbound().maxMessages();
        long maxBytes = properties.outbound().maxBytes().toBytes();
        this.syncPageSize = settings.pageSize();
        this.gapPageSize = settings.gapPageSize();
        // A page larger than the session's queue is fed in chunks, each when the queue has drained enough for it. The
        // bytes bound them too: 256 messages of 4,000 characters are 1 MB and more (up to 25 KB a frame).
        this.chunkFrames = Math.max(1, maxFrames / 2);
        this.chunkBytes = Math.max(1, maxBytes / 2);
        this.feedFrames = maxFrames - maxFrames / 4;
        this.feedBytes = maxBytes - maxBytes / 4;
        this.releaseFrames = maxFrames / 2;
        this.releaseBytes = maxBytes / 2;
        this.pageWait = properties.outbound().sendTimeout().multipliedBy(2);
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(settings.attempts() - 1)
                .delay(settings.retryBackoff())
                .multiplier(2)
                .predicate(failure -> failure instanceof BackendException backend
                        && backend.kind() == BackendException.Kind.UNAVAILABLE)
                .build());
        this.firstPages = new FirstPages(messageService::syncOf, batchCalls.executor());
        this.prefetch = Executors.newCachedThreadPool(daemonThreads("gateway-replay-prefetch-"));
    }

    private static CustomizableThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true);
        return threads;
    }

    /** Runs the session's catch-up in the background; the stream already holds live messages. */
    public void start(ChatSession session) {
        MessageStream.CatchUpPlan first = session.stream().nextRound();
        if (first == null || !first.fullSync()) {
            executor.execute(() -> run(session, first, null));
            return;
        }
        firstPages
                .fetch(
                        session.credentials(),
                        wirePositions(first.positions()),
                        Math.min(syncPageSize, FIRST_PAGE_MAX),
                        session.stream().newsSince())
                .whenComplete((page, failure) -> {
                    try {
                        executor.execute(() -> run(session, first, new Prefetched(page, failure)));
                    } catch (RejectedExecutionException e) {
                        session.stream().abandon();
                        session.close(CloseCodes.SHUTDOWN);
                    }
                });
    }

    /**
     * @param first the first round, when {@link #start} already took it from the stream
     * @param prefetched the first page of {@code first}, a full sync
     */
    private void run(ChatSession session, MessageStream.CatchUpPlan first, Prefetched prefetched) {
        MessageStream stream = session.stream();
        MessageStream.CatchUpPlan plan = first;
        Prefetched firstPage = prefetched;
        long replayedBefore = stream.replayedTotal();
        int fruitlessRounds = 0;
        try {
            while (!session.isClosing()) {
                if (plan == null) {
                    plan = stream.nextRound();
                }
                boolean ranFullSync = false;
                for (; plan != null; plan = stream.nextRound()) {
                    ranFullSync |= plan.fullSync();
                    if (plan.fullSync()) {
                        syncAll(session, plan.positions(), firstPage);
                        firstPage = null;
                    } else {
                        plan.positions()
                                .forEach((conversation, from) -> fetchConversation(session, conversation, from));
                    }
                }
                // The stream releases what it held into the queue at once (at most a quarter of it: ChatSession):
                // first let the replay's last chunk drain to half, in frames and in bytes.
                if (!session.outbound().awaitAtMost(releaseFrames, releaseBytes, pageWait)) {
                    throw new SessionTooSlow();
                }
                MessageStream.RoundResult result = stream.finishRound(session);
                if (!result.again()) {
                    if (result.resumeOutcome() != null) {
                        MessageStream.ResumeOutcome outcome = result.resumeOutcome();
                        metrics.replayed(outcome.replayed());
                        session.send(OutboundFrame.control(ServerEvents.frame(
                                "resume_result",
                                new ServerEvents.ResumeResult(true, outcome.replayed(), outcome.positions(), null))));
                    }
                    failures.succeeded();
                    return;
                }
                long replayed = stream.replayedTotal();
                plan = stream.nextRound();
                // Only gap fetches count: a full sync that replayed nothing (a resume with nothing missed) was no
                // retry, nor is the full sync a resume that arrived meanwhile asks for next.
                boolean retry = !ranFullSync && (plan == null || !plan.fullSync());
                fruitlessRounds = replayed == replayedBefore && retry ? fruitlessRounds + 1 : 0;
                replayedBefore = replayed;
                if (fruitlessRounds >= settings.attempts()) {
                    throw unfillableGap();
                }
            }
        } catch (SessionTooSlow e) {
            stream.abandon();
            if (!session.isClosing()) {
                // A session closing already stopped taking frames; it may still be writing its last ones, which a
                // close now would discard.
                session.close(CloseCodes.SLOW_CONSUMER);
            }
        } catch (BackendException e) {
            fail(session, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.abandon();
            session.close(CloseCodes.SHUTDOWN);
        } catch (RuntimeException e) {
            bugs.failed(KeyedFaultLog.bugKey(e), e);
            fail(session, new BackendException(BackendException.Kind.UNAVAILABLE, "replay failed", null, e));
        }
    }

    /**
     * {@code replay.attempts} rounds in a row replayed nothing: a held live message names a {@code seq} that
     * message-service does not have (a record on the topic that message-service did not write), and asking again would
     * spin a replay thread forever. No wait between the rounds: a message is on the topic only once it is committed, so
     * no later round can find what this one did not (a message-service that does not answer is retried per page, with
     * backoff, by {@link #withRetries}), and a wait would only hold one of the replays' threads from other users. The
     * gap counts as one that cannot be filled: the session is closed (1013) rather than skip a message, and its client
     * resumes from what it holds.
     */
    private static BackendException unfillableGap() {
        return new BackendException(
                BackendException.Kind.UNAVAILABLE, "a gap message-service has no messages for", null, null);
    }

    /**
     * Pages through the user's sync. The next page is asked for as soon as the current one arrives, so message-service
     * answers it while this one is written to the client: replay runs at the pace of the slower of the two, not of
     * both one after the other.
     */
    private void syncAll(ChatSession session, Map<Long, Long> from, Prefetched prefetched) throws InterruptedException {
        Map<String, Long> positions = wirePositions(from);
        Instant newsSince = session.stream().newsSince();
        MessageServiceClient.SyncPage page = firstPageOf(prefetched);
        if (page == null) {
            Map<String, Long> request = positions;
            page = withRetries(
                    () -> messageService.sync(session.credentials().token(), request, syncPageSize, newsSince));
        }
        while (true) {
            if (page.positions() != null) {
                endAt(session.stream(), positions, page.positions());
                positions = new HashMap<>(page.positions());
            }
            CompletableFuture<MessageServiceClient.SyncPage> next = null;
            // An empty page that says has_more brought a position back below its conversation's last seq (the
            // messages past it come on the next page): endAt above has that conversation fetched again from there,
            // so the loop may stop, and a page that answers nothing can never keep it going.
            if (page.hasMore() && page.messages() != null && !page.messages().isEmpty()) {
                Map<String, Long> request = positions;
                next = CompletableFuture.supplyAsync(
                        () -> withRetries(() ->
                                messageService.sync(session.credentials().token(), request, syncPageSize, newsSince)),
                        prefetch);
            }
            try {
                feed(session, page.messages());
            } catch (InterruptedException | RuntimeException e) {
                if (next != null) {
                    next.cancel(false);
                }
                throw e;
            }
            if (next == null) {
                return;
            }
            page = await(next);
        }
    }

    /**
     * message-service brings a position beyond its conversation's last {@code seq} back to the last {@code seq} stored
     * before the session opened (a client that kept its positions across a restore of the database, say): the stream
     * takes it too, or every new message up to the claimed position would be dropped as one the client already has.
     * What was stored since is news to the client: it is in the stream's held messages or still on its way.
     */
    private static void endAt(MessageStream stream, Map<String, Long> asked, Map<String, Long> answered) {
        answered.forEach((conversation, seq) -> {
            Long claimed = asked.get(conversation);
            if (claimed != null && seq != null && seq < claimed) {
                long id = parseId(conversation);
                if (id > 0) {
                    stream.endAt(id, seq);
                }
            }
        });
    }

    private static long parseId(String conversation) {
        try {
            return Long.parseLong(conversation);
        } catch (NumberFormatException notOurs) {
            return -1;
        }
    }

    private static <T> T await(CompletableFuture<T> page) throws InterruptedException {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new BackendException(BackendException.Kind.UNAVAILABLE, "replay failed", null, e.getCause());
        }
    }

    /**
     * The prefetched first page; null when there is none to use and the page is to be asked for alone (with retries),
     * as after a batch that message-service could not answer. A refusal (a rejected token) is final.
     */
    private static MessageServiceClient.SyncPage firstPageOf(Prefetched prefetched) {
        if (prefetched == null) {
            return null;
        }
        if (prefetched.failure() == null) {
            return prefetched.page();
        }
        Throwable failure = prefetched.failure() instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause()
                : prefetched.failure();
        if (failure instanceof BackendException backend && backend.kind() != BackendException.Kind.UNAVAILABLE) {
            throw backend;
        }
        return null;
    }

    private static Map<String, Long> wirePositions(Map<Long, Long> from) {
        Map<String, Long> positions = new HashMap<>();
        for (Map.Entry<Long, Long> entry : from.entrySet()) {
            positions.put(Long.toString(entry.getKey()), entry.getValue());
        }
        return positions;
    }

    private void fetchConversation(ChatSession session, long conversation, long from) {
        long after = from;
        try {
            while (true) {
                long cursor = after;
                MessageServiceClient.HistoryPage page = withRetries(
                        () -> messageService.after(session.credentials().token(), conversation, cursor, gapPageSize));
                feed(session, page.messages());
                if (!page.hasMore()
                        || page.messages() == null
                        || page.messages().isEmpty()) {
                    return;
                }
                after = page.messages().get(page.messages().size() - 1).seq();
            }
        } catch (BackendException e) {
            if (e.kind() != BackendException.Kind.NOT_FOUND) {
                throw e;
            }
            // The user left the conversation meanwhile: nothing more of it is theirs to see.
            session.stream().forget(conversation);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionTooSlow();
        }
    }

    /**
     * Hands the messages to the session's stream a chunk at a time, each when the client has drained enough. A chunk
     * holds at least one message: one whose frame is larger than a chunk goes alone, and one larger than three quarters
     * of the queue once the queue is empty (an empty queue takes a frame of any size).
     */
    private void feed(ChatSession session, List<StoredMessage> messages) throws InterruptedException {
        if (messages == null) {
            return;
        }
        List<PreparedMessage> chunk = new ArrayList<>(Math.min(messages.size(), chunkFrames));
        long bytes = 0;
        for (StoredMessage message : messages) {
            // Framed here to be measured; the stream sends this same frame.
            PreparedMessage prepared = PreparedMessage.stored(message);
            int size = prepared.deliveryFrame().size();
            if (!chunk.isEmpty() && (chunk.size() == chunkFrames || bytes + size > chunkBytes)) {
                feedChunk(session, chunk, bytes);
                chunk.clear();
                bytes = 0;
            }
            chunk.add(prepared);
            bytes += size;
        }
        if (!chunk.isEmpty()) {
            feedChunk(session, chunk, bytes);
        }
    }

    private void feedChunk(ChatSession session, List<PreparedMessage> chunk, long bytes) throws InterruptedException {
        if (!session.outbound()
                .awaitAtMost(Math.max(0, feedFrames - chunk.size()), Math.max(0, feedBytes - bytes), pageWait)) {
            throw new SessionTooSlow();
        }
        // The chunk leaves in one write, not one per message.
        WriteBatch.runWhole(() -> {
            for (PreparedMessage message : chunk) {
                session.stream().offerReplayed(message, session);
            }
        });
    }

    /** Retries a page when message-service is unavailable; other answers (401, 404) are final. */
    private <T> T withRetries(java.util.function.Supplier<T> call) {
        try {
            return retry.execute(call::get);
        } catch (RetryException e) {
            if (e.getLastException() instanceof BackendException backend) {
                throw backend;
            }
            throw new BackendException(BackendException.Kind.UNAVAILABLE, "replay failed", null, e.getLastException());
        }
    }

    private void fail(ChatSession session, BackendException e) {
        MessageStream.ResumeOutcome outcome = session.stream().abandon();
        String reason = e.kind() == BackendException.Kind.UNAUTHORIZED ? "token_rejected" : "unavailable";
        failures.failed(e);
        log.debug("Replay for {} failed ({}): {}", session, reason, e.getMessage());
        if (outcome != null) {
            session.send(OutboundFrame.control(ServerEvents.frame(
                    "resume_result",
                    new ServerEvents.ResumeResult(false, outcome.replayed(), outcome.positions(), reason))));
        }
        // Without the missing range the session cannot go on without a gap: the client reconnects and resumes. After
        // the resume_result, which says so: a plain close would drop it while an earlier frame is still being written.
        session.closeAfterQueued(
                e.kind() == BackendException.Kind.UNAUTHORIZED ? CloseCodes.TOKEN_EXPIRED : CloseCodes.REPLAY_FAILED);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
        prefetch.shutdownNow();
    }

    /** The client did not drain its queue in time for the next page. */
    private static final class SessionTooSlow extends RuntimeException {
        SessionTooSlow() {
            super(null, null, false, false);
        }
    }
}
