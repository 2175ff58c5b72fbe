package org.erpchat.bench.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.erpchat.bench.system.Target;
import org.erpchat.bench.system.Tokens;
import org.erpchat.testclient.WebSocketConnector;

/**
 * The WebSocket sessions of one process. Connections leave from the given loopback source address (each address has
 * its own ~28,000 ephemeral ports towards one server port), through one connector whose few selector threads serve them
 * all. A session that fails to connect is retried with exponential backoff and jitter, as a real client would,
 * up to the attempts the caller allows.
 */
public final class SocketFleet implements AutoCloseable {

    private final Target target;
    private final Tokens tokens;
    private final WebSocketConnector client;
    private final DeliveryStats stats = new DeliveryStats();
    private final Map<Long, ChatSocket> sockets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "reconnect-backoff");
        thread.setDaemon(true);
        return thread;
    });

    public SocketFleet(Target target, Tokens tokens, String sourceAddress) {
        this.target = target;
        this.tokens = tokens;
        try {
            client = WebSocketConnector.start("bench-ws", InetAddress.getByName(sourceAddress));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a source address: " + sourceAddress, e);
        }
    }

    public DeliveryStats stats() {
        return stats;
    }

    public ChatSocket socket(long userId) {
        return sockets.get(userId);
    }

    /** The outcome of connecting (and resuming) a batch of sessions. */
    public record ConnectResult(
            int opened,
            int failed,
            long attempts,
            Histogram millis,
            List<Long> doneAtMillis,
            String firstError,
            Map<String, Long> retryReasons) {}

    /** Opens a session for each user not connected yet, then reconnects the ones given; see {@link #connect}. */
    public ConnectResult connectUsers(Collection<Long> userIds, boolean resume, int concurrency, int attempts) {
        List<ChatSocket> batch = new ArrayList<>();
        for (long userId : userIds) {
            batch.add(sockets.computeIfAbsent(userId, id -> new ChatSocket(id, stats)));
        }
        return connect(batch, resume, concurrency, attempts);
    }

    /** Reconnects (and resumes) every session that is not open. */
    public ConnectResult reconnectClosed(int concurrency, int attempts) {
        List<ChatSocket> closed =
                sockets.values().stream().filter(s -> !s.isOpen()).toList();
        return connect(closed, true, concurrency, attempts);
    }

    /**
     * Connects each socket, waits for {@code connected}, then (if asked) sends {@code resume} and waits for a complete
     * {@code resume_result}. At most {@code concurrency} are in progress at once. {@code doneAtMillis} holds, for each
     * socket that made it, the milliseconds from the start of the call to its being live.
     */
    public ConnectResult connect(List<ChatSocket> batch, boolean resume, int concurrency, int maxAttempts) {
        long start = System.nanoTime();
        Semaphore slots = new Semaphore(concurrency);
        Histogram millis = new Histogram(3);
        List<Long> doneAt = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        Map<String, LongAdder> retryReasons = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (ChatSocket socket : batch) {
            slots.acquireUninterruptibly();
            CompletableFuture<Void> done = new CompletableFuture<>();
            attempt(socket, resume, 1, maxAttempts, attempts, retryReasons, done);
            all.add(done.whenComplete((ok, error) -> {
                slots.release();
                if (error != null) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, rootCause(error).toString());
                    return;
                }
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                doneAt.add(elapsed);
                synchronized (millis) {
                    millis.recordValue(elapsed);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .exceptionally(error -> null)
                .join();
        Map<String, Long> reasons = new TreeMap<>();
        retryReasons.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new ConnectResult(
                batch.size() - failed.get(),
                failed.get(),
                attempts.get(),
                millis,
                List.copyOf(doneAt),
                firstError.get(),
                reasons);
    }

    /** Why an attempt failed, short enough to count: the root cause's type and the start of its message. */
    private static String reason(Throwable error) {
        Throwable cause = rootCause(error);
        String message = String.valueOf(cause.getMessage());
        return cause.getClass().getSimpleName() + ": " + (message.length() > 60 ? message.substring(0, 60) : message);
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private void attempt(
            ChatSocket socket,
            boolean resume,
            int attempt,
            int maxAttempts,
            AtomicInteger attempts,
            Map<String, LongAdder> retryReasons,
            CompletableFuture<Void> done) {
        attempts.incrementAndGet();
        CompletableFuture<Void> live;
        try {
            // A server out of file descriptors leaves the TCP connection in its accept queue and never answers the
            // upgrade: the attempt gives up after the same 30 s as a refused connection.
            live = client.connect(
                            target.webSocketUri(tokens.forUser(socket.userId()), resume),
                            Map.of(),
                            false,
                            socket.newConnection())
                    .orTimeout(30, TimeUnit.SECONDS)
                    .thenCompose(session -> socket.connected().orTimeout(30, TimeUnit.SECONDS))
                    .thenCompose(ok -> {
                        if (!resume) {
                            return CompletableFuture.completedFuture(null);
                        }
                        socket.resume();
                        return socket.resumed().orTimeout(10, TimeUnit.MINUTES).thenApply(count -> null);
                    });
        } catch (Exception e) {
            live = CompletableFuture.failedFuture(e);
        }
        live.whenComplete((ok, error) -> {
            if (error == null) {
                done.complete(null);
            } else if (attempt >= maxAttempts) {
                done.completeExceptionally(error);
            } else {
                retryReasons
                        .computeIfAbsent(reason(error), r -> new LongAdder())
                        .increment();
                socket.drop();
                long backoff = Math.min(5_000, 100L << Math.min(attempt, 6));
                long delay = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
                retries.schedule(
                        () -> attempt(socket, resume, attempt + 1, maxAttempts, attempts, retryReasons, done),
                        delay,
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Cuts every session at once. */
    public int dropAll() {
        int dropped = 0;
        for (ChatSocket socket : sockets.values()) {
            socket.drop();
            dropped++;
        }
        return dropped;
    }

    /** Closes every session (close handshake) and forgets them: the next scenario starts with none. */
    public void closeAll() {
        sockets.values().forEach(ChatSocket::close);
        sockets.clear();
    }

    public long openCount() {
        return sockets.values().stream().filter(ChatSocket::isOpen).count();
    }

    @Override
    public void close() {
        sockets.values().forEach(ChatSocket::close);
        client.close();
        retries.shutdownNow();
    }
}
