package org.erpchat.gateway.ws;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.erpchat.gateway.session.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the log says about connections: one line per connection and close at DEBUG, and at INFO one summary per
 * {@code chat.gateway.connection-log-interval} in which anything happened ("Connections: 19000 open; in the last 60
 * s 1200 opened, 300 closed (1000: 250, 1006: 50)"). A gateway restart brings thousands of reconnects in seconds, and
 * a line each was both most of what the log held and a few percent of the gateway's CPU per connection
 * (docs/benchmarks.md); the metrics ({@code chat.gateway.connections}, {@code chat.gateway.sessions.closed}) count
 * every one anyway. Logs name users by id and never show tokens.
 */
@Component
class ConnectionLog {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLog.class);

    private final IntSupplier openConnections;
    private final LongAdder opened = new LongAdder();
    private final Map<Integer, LongAdder> closedByCode = new ConcurrentHashMap<>();
    private long lastSummaryNanos = System.nanoTime();

    @Autowired
    ConnectionLog(SessionRegistry sessions) {
        this(sessions::size);
    }

    ConnectionLog(IntSupplier openConnections) {
        this.openConnections = openConnections;
    }

    void opened(long userId) {
        opened.increment();
        log.debug("User {} connected. Total connections: {}", userId, openConnections.getAsInt());
    }

    void closed(long userId, int code) {
        closedByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
        log.debug("User {} disconnected ({}). Total connections: {}", userId, code, openConnections.getAsInt());
    }

    @Scheduled(
            fixedDelayString = "${chat.gateway.connection-log-interval:60s}",
            initialDelayString = "${chat.gateway.connection-log-interval:60s}")
    void logSummary() {
        String summary = takeSummary();
        if (summary != null) {
            log.info(summary);
        }
    }

    /** The summary of what happened since the last one, or null when nothing did; starts the next period. */
    synchronized String takeSummary() {
        long now = System.nanoTime();
        long seconds = Math.round((now - lastSummaryNanos) / 1e9);
        lastSummaryNanos = now;
        long openedCount = opened.sumThenReset();
        Map<Integer, Long> closed = new TreeMap<>();
        closedByCode.forEach((code, count) -> {
            long n = count.sumThenReset();
            if (n > 0) {
                closed.put(code, n);
            }
        });
        long closedCount = closed.values().stream().mapToLong(Long::longValue).sum();
        if (openedCount == 0 && closedCount == 0) {
            return null;
        }
        StringBuilder line = new StringBuilder("Connections: ")
                .append(openConnections.getAsInt())
                .append(" open; in the last ")
                .append(seconds)
                .append(" s ")
                .append(openedCount)
                .append(" opened, ")
                .append(closedCount)
                .append(" closed");
        if (!closed.isEmpty()) {
            line.append(" (close codes ");
            closed.forEach((code, n) -> line.append(code).append(": ").append(n).append(", "));
            line.setLength(line.length() - 2);
            line.append(')');
        }
        return line.toString();
    }
}
