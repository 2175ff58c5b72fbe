package org.erpchat.gateway.session;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.erpchat.gateway.protocol.PreparedMessage;

/**
 * The order guarantee of one session: per conversation, messages reach the client with sequence numbers that go up by
 * exactly one, none twice, none skipped.
 *
 * <p>It remembers the last sequence number delivered per conversation. A live message that continues it is delivered;
 * one at or below it is a duplicate (Kafka delivers at least once) and dropped, except that the sending session still
 * gets its acknowledgement (unless a replay gave it, below); one that skips ahead reveals a gap. Then the stream <em>catches up</em>: it holds live
 * messages back, a replay fetches the missing range from message-service (PostgreSQL, so there is no time window),
 * and the held messages are released through the same rules afterwards. A {@code resume} from the client is the same
 * catch-up over all its conversations, from the positions it reports.
 *
 * <p>A client that will resume says so when it connects; its session then holds live messages from the start until
 * the {@code resume} arrives, so none can overtake the ones it missed. A client that did not say so (the seed's) gets
 * live messages at once; if it sends a {@code resume} anyway, messages it missed in conversations that already
 * received live messages on this connection are still replayed, after those live ones (backfill): nothing is lost,
 * but that junction is out of order, which is why resuming clients declare it.
 *
 * <p>A {@code conversation_read} (a marker moved on another device or, in a private conversation, by the other
 * participant) is held until the message it names has gone out to this session: while the session is behind in that
 * conversation, or holds messages back for a catch-up or a resume, the marker waits for the message. A client never
 * learns that a message was read before it has the message.
 *
 * <p>The session's own sends are acknowledged ({@code message_sent}) in their place in this order, and never also
 * delivered: a replay that reaches one that is still waiting for its acknowledgement (held, or still on its way through
 * Kafka) delivers it as the acknowledgement, and the live acknowledgement is dropped when it comes.
 *
 * <p>All methods synchronize on this object; frames are emitted under that lock, so their order in the session's queue
 * is the delivery order.
 */
public final class MessageStream {

    /** Where delivered messages go: the session's queue. */
    public interface Emitter {
        void emit(PreparedMessage message, boolean ack, java.time.Instant createdAt);

        /** A live message, in the frame its sessions share. */
        default void emit(LiveMessage live) {
            emit(live.message(), live.ack(), live.createdAt());
        }
    }

    /** What a catch-up round must fetch. */
    public record CatchUpPlan(boolean fullSync, Map<Long, Long> positions) {}

    private final Map<Long, Long> positions = new HashMap<>();
    private final int maxHeld;
    /**
     * The most bytes of held frames. Held messages are released into the session's queue all at once when the
     * catch-up ends, so together they must fit in it: beyond this (or {@link #maxHeld}) they are fetched again, at the
     * client's pace, like any replay.
     */
    private final long maxHeldBytes;

    private ArrayDeque<LiveMessage> held;
    /** The bytes of {@link #held}'s frames. */
    private long heldBytes;

    private final Set<Long> gaps = new HashSet<>();
    private final Set<Long> overflowed = new HashSet<>();
    private boolean catchingUp;
    /**
     * Set for a client that declared it will resume: live messages are held until its positions are known (or the
     * resume window passes), since a message delivered before then could overtake the ones it missed.
     */
    private boolean awaitingResume;
    /** While awaiting a resume: when (nanotime) the wait ends; every frame of a resume in several frames extends it. */
    private long awaitingResumeUntil;

    private boolean fullSyncRequested;
    private boolean resumePending;
    private int replayedSinceResume;
    /** Messages replayed over the session's life: a catch-up round that adds none made no progress. */
    private long replayedTotal;
    /** Set when an acknowledgement could not be held (more than the cap): the session must be closed. */
    private boolean heldAcksOverflowed;
    /**
     * Per conversation a resume claimed more of than this connection had delivered live: the first and the last
     * {@code seq} it delivered ({@link #endAt}). Null while there are none.
     */
    private Map<Long, long[]> liveBeforeResume;

    /** Positions of a resume that arrives in several frames, until its last one. */
    private Map<Long, Long> resumeChunks;
    /** Whether a resume was received: until then, the first seq delivered live per conversation is recorded. */
    private boolean resumed;
    /** Until the first resume: the first seq delivered live per conversation (null while there is none). */
    private Map<Long, Long> firstLive;
    /** Per conversation, the range {next, end (exclusive)} a late resume still has to replay below the live stream. */
    private final Map<Long, long[]> backfill = new HashMap<>();
    /**
     * Read markers ahead of what this session was sent, per conversation and reader: only the furthest is kept (it
     * says all the earlier ones say). At most two per tracked conversation (this user's and, in a private one, the
     * other participant's). Null while there are none.
     */
    private Map<ReadKey, HeldRead> heldReads;

    private record ReadKey(long conversationId, long readerId) {}

    private record HeldRead(long readSeq, Runnable send) {}

    /**
     * This session's sends whose acknowledgement has not gone out, oldest first, at most twice {@link #maxHeld} (the
     * acknowledgements it may hold): a replay that reaches one delivers it as the acknowledgement. Null while none.
     */
    private LinkedHashSet<Send> unacknowledged;
    /**
     * Messages a replay delivered as this session's acknowledgement before their live acknowledgement came, bounded
     * as above: that one is dropped when it comes. Null while none.
     */
    private LinkedHashSet<Position> acknowledgedByReplay;

    /** A send, as its message names it: the sender's {@code client_msg_id} is unique per sender. */
    private record Send(long senderId, String clientMsgId) {}

    private record Position(long conversationId, long seq) {}

    /**
     * Within this much of the session's opening, a message stored before it still counts as live: a message-service
     * whose clock is a little behind this one stamps what it stores just after the opening as just before it.
     */
    static final long OPENING_TOLERANCE_MILLIS = 1_000;

    /** When the session opened (epoch millis, this gateway's clock). */
    private final long openedAtMillis = System.currentTimeMillis();

    public MessageStream(int maxHeld) {
        this(maxHeld, Long.MAX_VALUE);
    }

    /**
     * @param maxHeld the most live messages held while the session catches up (beyond, they are fetched again)
     * @param maxHeldBytes the most bytes of their frames, likewise
     */
    public MessageStream(int maxHeld, long maxHeldBytes) {
        this.maxHeld = maxHeld;
        this.maxHeldBytes = maxHeldBytes;
    }

    /**
     * A live message for this session. Returns true when it revealed a gap and a catch-up must be started (the caller
     * schedules it; while it runs, further live messages are held).
     */
    public synchronized boolean offerLive(LiveMessage live, Emitter emitter) {
        if (catchingUp || awaitingResume) {
            hold(live);
            return false;
        }
        return deliverOrHold(live, emitter);
    }

    /**
     * The client declared, when connecting, that it will resume: hold live messages until it does, or until
     * {@code deadline} (nanotime) passes without a resume frame.
     */
    public synchronized void expectResume(long deadline) {
        awaitingResume = true;
        awaitingResumeUntil = deadline;
    }

    /**
     * This session passed a send of {@code senderId} on to message-service. Until its acknowledgement goes out, a
     * replay that reaches the stored message delivers it as that acknowledgement, not as a message.
     */
    public synchronized void sending(long senderId, String clientMsgId) {
        if (clientMsgId == null) {
            return;
        }
        if (unacknowledged == null) {
            unacknowledged = new LinkedHashSet<>();
        }
        addBounded(unacknowledged, new Send(senderId, clientMsgId));
    }

    /** message-service refused the send: nothing was stored that a replay could bring. */
    public synchronized void refused(long senderId, String clientMsgId) {
        removeSend(senderId, clientMsgId);
    }

    /** Stops waiting for the acknowledgement of a send; false when it was not waited for. */
    private boolean removeSend(long senderId, String clientMsgId) {
        if (unacknowledged == null || !unacknowledged.remove(new Send(senderId, clientMsgId))) {
            return false;
        }
        if (unacknowledged.isEmpty()) {
            unacknowledged = null;
        }
        return true;
    }

    /**
     * Adds to a set kept at most twice {@link #maxHeld} long, dropping its oldest entry: past that a message of the
     * session's own is at worst delivered and acknowledged both, which bounds what a client that floods sends costs.
     */
    private <T> void addBounded(LinkedHashSet<T> set, T entry) {
        if (set.add(entry) && set.size() > 2 * maxHeld) {
            set.remove(set.iterator().next());
        }
    }

    /** The acknowledgement of {@code message} goes out now. */
    private void acknowledged(PreparedMessage message) {
        removeSend(message.senderId(), message.clientMsgId());
    }

    /**
     * A replayed message: the acknowledgement when it is a send of this session's still waiting for one. Its live
     * acknowledgement (held meanwhile, or still on its way) is then dropped when it comes, or the message would reach
     * the client twice.
     */
    private void emitReplayed(PreparedMessage message, Emitter emitter) {
        boolean ack = unacknowledged != null && removeSend(message.senderId(), message.clientMsgId());
        if (ack) {
            if (acknowledgedByReplay == null) {
                acknowledgedByReplay = new LinkedHashSet<>();
            }
            addBounded(acknowledgedByReplay, new Position(message.conversationId(), message.seq()));
        }
        emitter.emit(message, ack, null);
    }

    /** Whether a replay already delivered this acknowledgement's message as the acknowledgement (once per replay). */
    private boolean acknowledgedByReplay(PreparedMessage message) {
        if (acknowledgedByReplay == null
                || !acknowledgedByReplay.remove(new Position(message.conversationId(), message.seq()))) {
            return false;
        }
        if (acknowledgedByReplay.isEmpty()) {
            acknowledgedByReplay = null;
        }
        return true;
    }

    /**
     * A read marker for this session: {@code readerId} has read {@code conversationId} up to {@code readSeq}. Sent
     * now, through {@code send}, unless the message at {@code readSeq} has not gone out to this session yet: while
     * this session is behind in that conversation, or holds messages back for a catch-up or a resume, it is held and
     * sent right after that message (or when the holding ends). A conversation this session has no position in (it
     * received nothing of it on this connection) is not waited for.
     */
    public synchronized void offerRead(long conversationId, long readerId, long readSeq, Runnable send) {
        if (!readAhead(conversationId, readSeq)) {
            send.run();
            return;
        }
        if (heldReads == null) {
            heldReads = new HashMap<>();
        }
        heldReads.merge(
                new ReadKey(conversationId, readerId),
                new HeldRead(readSeq, send),
                (held, latest) -> latest.readSeq() >= held.readSeq() ? latest : held);
    }

    /** Whether a marker at {@code readSeq} would reach the client before the message it names. */
    private boolean readAhead(long conversationId, long readSeq) {
        if (catchingUp || awaitingResume) {
            return true;
        }
        Long position = positions.get(conversationId);
        return position != null && position < readSeq;
    }

    /** Sends the held markers of {@code conversationId} (all conversations when null) that are no longer ahead. */
    private void releaseReads(Long conversationId) {
        if (heldReads == null) {
            return;
        }
        var entries = heldReads.entrySet().iterator();
        while (entries.hasNext()) {
            var entry = entries.next();
            ReadKey key = entry.getKey();
            if ((conversationId == null || key.conversationId() == conversationId)
                    && !readAhead(key.conversationId(), entry.getValue().readSeq())) {
                entries.remove();
                entry.getValue().send().run();
            }
        }
        if (heldReads.isEmpty()) {
            heldReads = null;
        }
    }

    /** Messages replayed to this session so far. */
    public synchronized long replayedTotal() {
        return replayedTotal;
    }

    /** Whether an acknowledgement was dropped because too many were held; the session must close. */
    public synchronized boolean heldAcksOverflowed() {
        return heldAcksOverflowed;
    }

    /** Nanoseconds until the resume window ends (0 or less: it has; also when no resume is awaited). */
    public synchronized long resumeWindowLeft(long now) {
        return awaitingResume ? awaitingResumeUntil - now : 0;
    }

    /**
     * One frame of a {@code resume}. {@code more} says further frames of the same resume follow (a client with more
     * conversations than one frame holds); the resume takes effect with the last one. {@code maxPositions} bounds the
     * conversations this session tracks: those of the whole resume together with those it already holds positions of
     * (earlier resumes, live messages), since a resume's positions stay for the life of the connection.
     */
    public synchronized ResumeStart resume(
            Map<Long, Long> clientPositions, boolean more, int maxPositions, long windowDeadline) {
        if (resumePending) {
            return ResumeStart.ALREADY_RESUMING;
        }
        if (resumeChunks == null) {
            resumeChunks = new HashMap<>();
        }
        resumeChunks.putAll(clientPositions);
        if (trackedWith(resumeChunks) > maxPositions) {
            resumeChunks = null;
            return ResumeStart.TOO_MANY_POSITIONS;
        }
        if (more) {
            // The client is resuming; give it the time of a whole window for each further frame.
            awaitingResumeUntil = windowDeadline;
            return ResumeStart.MORE_EXPECTED;
        }
        Map<Long, Long> all = resumeChunks;
        resumeChunks = null;
        return resume(all);
    }

    /**
     * The client asked to resume from {@code clientPositions} (merged with what this session already delivered). Says
     * whether the caller must start a catch-up, whether one already running will include it, or whether a resume is
     * already under way.
     */
    public synchronized ResumeStart resume(Map<Long, Long> clientPositions) {
        if (resumePending) {
            return ResumeStart.ALREADY_RESUMING;
        }
        Map<Long, Long> firstDelivered = firstLive;
        if (firstLive != null) {
            planBackfill(clientPositions);
            firstLive = null;
        }
        resumed = true;
        clientPositions.forEach((conversation, seq) -> {
            Long delivered = positions.get(conversation);
            if (delivered != null && delivered < seq) {
                if (liveBeforeResume == null) {
                    liveBeforeResume = new HashMap<>();
                }
                Long first = firstDelivered == null ? null : firstDelivered.get(conversation);
                liveBeforeResume.put(conversation, new long[] {first == null ? 0 : first, delivered});
            }
            positions.merge(conversation, seq, Math::max);
        });
        awaitingResume = false;
        resumePending = true;
        replayedSinceResume = 0;
        fullSyncRequested = true;
        if (catchingUp) {
            return ResumeStart.JOINED_RUNNING_CATCH_UP;
        }
        catchingUp = true;
        return ResumeStart.START_CATCH_UP;
    }

    /** How many conversations this session would track after a resume listing {@code resumed}. */
    private int trackedWith(Map<Long, Long> resumed) {
        int tracked = positions.size();
        for (Long conversation : resumed.keySet()) {
            if (!positions.containsKey(conversation)) {
                tracked++;
            }
        }
        return tracked;
    }

    public enum ResumeStart {
        START_CATCH_UP,
        JOINED_RUNNING_CATCH_UP,
        ALREADY_RESUMING,
        /** A frame of a resume in several frames; the last one starts it. */
        MORE_EXPECTED,
        /**
         * The frames of this resume list more conversations than allowed, with those the session already tracks; it
         * was dropped.
         */
        TOO_MANY_POSITIONS
    }

    /**
     * Live messages went out before the client's first resume (it did not declare one): in each such conversation,
     * what lies between the client's position and the first live message is replayed afterwards, below the stream.
     */
    private void planBackfill(Map<Long, Long> clientPositions) {
        firstLive.forEach((conversation, first) -> {
            long from = clientPositions.getOrDefault(conversation, 0L) + 1;
            if (from < first) {
                backfill.put(conversation, new long[] {from, first});
            }
        });
    }

    /**
     * Ends the resume window of a client that declared a resume but did not send it in time. Returns true when held
     * messages are waiting: the caller starts a catch-up, which releases them through the normal rules.
     */
    public synchronized boolean endResumeWindow() {
        if (!awaitingResume) {
            return false;
        }
        awaitingResume = false;
        resumeChunks = null;
        if (catchingUp || held == null) {
            releaseReads(null);
            return false;
        }
        catchingUp = true;
        return true;
    }

    public synchronized boolean isAwaitingResume() {
        return awaitingResume;
    }

    /** The next round of a catch-up, or null when there is nothing left to fetch. */
    public synchronized CatchUpPlan nextRound() {
        if (fullSyncRequested) {
            fullSyncRequested = false;
            gaps.clear();
            Map<Long, Long> from = new HashMap<>(positions);
            backfill.forEach((conversation, range) -> from.put(conversation, range[0] - 1));
            return new CatchUpPlan(true, Map.copyOf(from));
        }
        if (gaps.isEmpty()) {
            return null;
        }
        Map<Long, Long> from = new TreeMap<>();
        for (Long conversation : gaps) {
            long[] range = backfill.get(conversation);
            from.put(conversation, range != null ? range[0] - 1 : positions.getOrDefault(conversation, 0L));
        }
        gaps.clear();
        return new CatchUpPlan(false, from);
    }

    /**
     * A message fetched from message-service during a catch-up, in sequence order per conversation. Delivered if it
     * is the next one; skipped if already delivered.
     */
    public synchronized void offerReplayed(PreparedMessage message, Emitter emitter) {
        long conversation = message.conversationId();
        long[] range = backfill.get(conversation);
        if (range != null && message.seq() < range[1]) {
            offerBackfill(conversation, range, message, emitter);
            return;
        }
        long last = positions.getOrDefault(conversation, 0L);
        if (message.seq() <= last) {
            return;
        }
        if (message.seq() != last + 1) {
            // message-service returns consecutive ranges; a hole here means the range changed under us: fetch again.
            gaps.add(conversation);
            return;
        }
        positions.put(conversation, message.seq());
        replayedSinceResume++;
        replayedTotal++;
        emitReplayed(message, emitter);
    }

    private void offerBackfill(long conversation, long[] range, PreparedMessage message, Emitter emitter) {
        if (message.seq() < range[0]) {
            return;
        }
        if (message.seq() != range[0]) {
            gaps.add(conversation);
            return;
        }
        replayedSinceResume++;
        replayedTotal++;
        emitReplayed(message, emitter);
        if (++range[0] >= range[1]) {
            backfill.remove(conversation);
        }
    }

    /**
     * Ends a catch-up round: releases the held live messages through the normal rules. The result says whether
     * another round is needed (a held message revealed a new gap, some were dropped for lack of room, or a resume
     * arrived) and, when the catch-up is over, the outcome of a resume that was waiting for it.
     */
    public synchronized RoundResult finishRound(Emitter emitter) {
        if (!overflowed.isEmpty()) {
            // Held messages were dropped: fetch those conversations again; the rest stays held.
            gaps.addAll(overflowed);
            overflowed.clear();
            return RoundResult.AGAIN;
        }
        if (fullSyncRequested || !gaps.isEmpty()) {
            return RoundResult.AGAIN;
        }
        catchingUp = false;
        ArrayDeque<LiveMessage> release = held;
        held = null;
        if (release != null) {
            while (!release.isEmpty()) {
                LiveMessage live = release.pollFirst();
                if (catchingUp) {
                    hold(live);
                } else {
                    deliverOrHold(live, emitter);
                }
            }
        }
        if (catchingUp) {
            return RoundResult.AGAIN;
        }
        releaseReads(null);
        return new RoundResult(false, takeResumeOutcome());
    }

    /** A catch-up failed for good (the session is being closed): stop holding, and report a waiting resume. */
    public synchronized ResumeOutcome abandon() {
        catchingUp = false;
        fullSyncRequested = false;
        gaps.clear();
        backfill.clear();
        overflowed.clear();
        held = null;
        // The session is being closed without the messages: markers of messages it never got would mislead.
        heldReads = null;
        return takeResumeOutcome();
    }

    /** After a round: run another one, or done (with the outcome of a resume, when one was waiting). */
    public record RoundResult(boolean again, ResumeOutcome resumeOutcome) {
        static final RoundResult AGAIN = new RoundResult(true, null);
    }

    public record ResumeOutcome(int replayed, Map<String, Long> positions) {}

    private ResumeOutcome takeResumeOutcome() {
        if (!resumePending) {
            return null;
        }
        resumePending = false;
        liveBeforeResume = null;
        Map<String, Long> snapshot = new LinkedHashMap<>();
        new TreeMap<>(positions).forEach((conversation, seq) -> snapshot.put(Long.toString(conversation), seq));
        return new ResumeOutcome(replayedSinceResume, snapshot);
    }

    /**
     * Stops tracking a conversation the user no longer takes part in: its held messages, if any, are released as they
     * come instead of waiting for a range that will never be fetched.
     */
    public synchronized void forget(long conversationId) {
        positions.remove(conversationId);
        backfill.remove(conversationId);
        if (firstLive != null) {
            firstLive.remove(conversationId);
        }
        gaps.remove(conversationId);
        overflowed.remove(conversationId);
        releaseReads(conversationId);
    }

    /**
     * The instant after which a stored message is news to this session whatever its client claims to have: a few seconds
     * before the session opened ({@link #NEWS_MARGIN_MILLIS}), since from then on messages reach it live, held while it
     * resumes.
     */
    public Instant newsSince() {
        return Instant.ofEpochMilli(openedAtMillis - NEWS_MARGIN_MILLIS);
    }

    /**
     * How long before the session opened {@link #newsSince()} lies: message-service's clock may be a little behind this
     * one, and a message is stamped before it waits for its conversation's lock (up to two seconds), so it may be
     * stored after the session opened with an earlier time.
     */
    static final long NEWS_MARGIN_MILLIS = 5_000;

    /**
     * message-service says the client cannot have more of {@code conversationId} than {@code lastSeq}, where the news
     * after {@link #newsSince()} begins: a position beyond it (the client claimed more than exists) comes back to it,
     * and the conversation is fetched again from there in the next round, so what was stored since is delivered rather
     * than taken for what the client has. A connection that delivered some of it live before its resume keeps its
     * position, and what lies below its first live message is fetched as a backfill: nothing is sent twice.
     */
    public synchronized void endAt(long conversationId, long lastSeq) {
        Long position = positions.get(conversationId);
        if (position == null || position <= lastSeq) {
            return;
        }
        long[] live = liveBeforeResume == null ? null : liveBeforeResume.get(conversationId);
        if (live == null) {
            positions.put(conversationId, lastSeq);
        } else {
            positions.put(conversationId, Math.max(lastSeq, live[1]));
            if (live[0] > lastSeq + 1) {
                backfill.put(conversationId, new long[] {lastSeq + 1, live[0]});
            }
        }
        gaps.add(conversationId);
    }

    public synchronized boolean isCatchingUp() {
        return catchingUp;
    }

    public synchronized Long position(long conversationId) {
        return positions.get(conversationId);
    }

    private boolean storedBeforeOpening(LiveMessage live) {
        Instant createdAt = live.createdAt();
        return createdAt != null && createdAt.toEpochMilli() < openedAtMillis - OPENING_TOLERANCE_MILLIS;
    }

    private boolean deliverOrHold(LiveMessage live, Emitter emitter) {
        PreparedMessage message = live.message();
        long conversation = message.conversationId();
        // The message's own boxed keys: boxing them here allocated two objects per session of every message.
        Long last = positions.get(message.conversationKey());
        if (last == null && !live.ack() && storedBeforeOpening(live)) {
            // History, not news: a starting gateway reads the records of its first seconds, some of them from before
            // this session opened, which the client may already have from its previous gateway. It loads history
            // through the REST API or resume; delivered live, such a message would show twice.
            return false;
        }
        if (last == null || message.seq() == last + 1) {
            // A conversation this session has not seen starts wherever its first live message is; clients load
            // older history through the REST API, or get it by listing the conversation in resume.
            if (last == null && !resumed) {
                if (firstLive == null) {
                    firstLive = new HashMap<>();
                }
                firstLive.put(conversation, message.seq());
            }
            positions.put(message.conversationKey(), message.seqValue());
            if (live.ack()) {
                acknowledged(message);
            }
            emitter.emit(live);
            if (heldReads != null) {
                releaseReads(conversation);
            }
            return false;
        }
        if (message.seq() <= last) {
            if (live.ack() && !acknowledgedByReplay(message)) {
                // A retried send: the client already has the message but still needs its acknowledgement.
                acknowledged(message);
                emitter.emit(message, true, null);
            }
            return false;
        }
        gaps.add(conversation);
        catchingUp = true;
        hold(live);
        return true;
    }

    private void hold(LiveMessage live) {
        if (held == null) {
            held = new ArrayDeque<>();
            heldBytes = 0;
        }
        int size = live.message().deliveryFrame().size();
        if (held.size() >= maxHeld || heldBytes + size > maxHeldBytes) {
            overflowed.add(live.message().conversationId());
            if (live.ack()) {
                if (held.size() >= 2 * maxHeld) {
                    // A client that keeps sending while its messages are held (one that keeps its resume window open
                    // frame after frame, say) would grow this without end: it is closed, and its retries with the same
                    // client_msg_id get these acknowledgements again.
                    heldAcksOverflowed = true;
                    return;
                }
                // The acknowledgement cannot be fetched again later; keep it, bounded as above.
                held.addLast(live);
                heldBytes += size;
            }
            return;
        }
        held.addLast(live);
        heldBytes += size;
    }
}
