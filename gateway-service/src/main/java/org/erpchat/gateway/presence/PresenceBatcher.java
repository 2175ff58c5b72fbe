package org.erpchat.gateway.presence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.erpchat.gateway.metrics.GatewayMetrics;
import org.erpchat.gateway.session.ChatSession;
import org.erpchat.gateway.session.OutboundFrame;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Status changes wait here, per session, until the next flush ({@code chat.gateway.presence.flush-interval}): a user
 * who comes online and goes offline within one interval costs one status, the latest, and a thousand users coming
 * online together cost a session that accepts {@code presence_batch} one frame, not a thousand. Sessions that do not
 * (the seed's clients) get one {@code user_online_status} per user whose status changed, each built once for all.
 *
 * <p>Changes are disposable: a session whose queue is long (a replay in progress, a slow reader) loses them before
 * anything else, and learns the next change. An answer (the snapshot after {@code connected}, the statuses a
 * {@code presence_subscribe} asked for) is sent once and never repeated, so for a session that takes
 * {@code presence_batch} the flush that carries one is one frame that must arrive. A seed client gets an answer as
 * one frame per user, up to a thousand: those stay disposable, since that many frames that must arrive would close a
 * session whose queue is long instead of costing it statuses.
 */
@Component
class PresenceBatcher {

    private static final String BATCH_PREFIX = "{\"event\":\"presence_batch\",\"data\":{\"statuses\":[";
    private static final String BATCH_SUFFIX = "]}}";

    private final ConcurrentHashMap<ChatSession, Pending> pending = new ConcurrentHashMap<>();
    private final GatewayMetrics metrics;

    PresenceBatcher(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    /** A change for the session's next flush; replaces an earlier status of the same user. */
    void offer(ChatSession session, PresenceStatus status) {
        add(session, status, false);
    }

    /** A status the session asked for (or is owed on connecting), for its next flush, which then must arrive. */
    void answer(ChatSession session, PresenceStatus status) {
        add(session, status, true);
    }

    private void add(ChatSession session, PresenceStatus status, boolean answer) {
        while (true) {
            Pending statuses = pending.computeIfAbsent(session, key -> new Pending());
            synchronized (statuses) {
                if (!statuses.taken) {
                    statuses.byUser.put(status.userId(), status);
                    statuses.answer |= answer;
                    return;
                }
            }
        }
    }

    /** The session closed: nothing more goes to it. */
    void forget(ChatSession session) {
        pending.remove(session);
    }

    @Scheduled(fixedDelayString = "${chat.gateway.presence.flush-interval:500ms}")
    void flush() {
        for (ChatSession session : pending.keySet()) {
            Pending statuses = pending.remove(session);
            if (statuses == null) {
                continue;
            }
            List<PresenceStatus> due;
            boolean answer;
            synchronized (statuses) {
                statuses.taken = true;
                due = new ArrayList<>(statuses.byUser.values());
                answer = statuses.answer;
            }
            if (!session.isClosing() && !due.isEmpty()) {
                send(session, due, answer);
            }
        }
    }

    private void send(ChatSession session, List<PresenceStatus> statuses, boolean answer) {
        if (session.acceptsPresenceBatches()) {
            StringBuilder frame = new StringBuilder(BATCH_PREFIX.length() + statuses.size() * 80);
            frame.append(BATCH_PREFIX);
            for (int i = 0; i < statuses.size(); i++) {
                if (i > 0) {
                    frame.append(',');
                }
                frame.append(statuses.get(i).data());
            }
            frame.append(BATCH_SUFFIX);
            session.send(frame(frame.toString(), answer));
            metrics.delivered("presence_batch");
            return;
        }
        for (PresenceStatus status : statuses) {
            session.send(OutboundFrame.disposable(status.frame()));
            metrics.delivered("user_online_status");
        }
    }

    private static OutboundFrame frame(String text, boolean answer) {
        return answer ? OutboundFrame.control(text) : OutboundFrame.disposable(text);
    }

    /** A session's statuses in the order they first changed; taken once by a flush, then replaced by a new one. */
    private static final class Pending {
        private final Map<Long, PresenceStatus> byUser = new LinkedHashMap<>();
        private boolean taken;
        /** Whether it holds an answer, which must arrive. */
        private boolean answer;
    }
}
