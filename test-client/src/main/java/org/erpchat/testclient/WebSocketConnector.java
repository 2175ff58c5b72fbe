package org.erpchat.testclient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.exception.UpgradeException;

/**
 * Opens {@link ClientSocket}s. One connector serves any number of connections on a few selector threads, so a test
 * JVM or a benchmark worker keeps one (or one per loopback source address: each address has its own ~28,000
 * ephemeral ports towards one server port).
 */
public final class WebSocketConnector implements AutoCloseable {

    /** Generous: a benchmark's messages and a replay's frames must never hit a client-side limit. */
    private static final long MAX_FRAME_BYTES = 16L * 1024 * 1024;

    private static final Duration UPGRADE_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final WebSocketCoreClient client;

    private WebSocketConnector(String name, InetAddress sourceAddress) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName(name);
        threads.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", true));
        // Jetty's defaults (64 connections being set up and 1,024 waiting, per destination) would make the client
        // the bottleneck of a reconnect storm: every connection here goes to the same server.
        http.setMaxConnectionsPerDestination(100_000);
        http.setMaxRequestsQueuedPerDestination(100_000);
        http.setConnectTimeout(UPGRADE_TIMEOUT.toMillis());
        if (sourceAddress != null) {
            http.setBindAddress(new InetSocketAddress(sourceAddress, 0));
        }
        client = new WebSocketCoreClient(http, null);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the WebSocket client", e);
        }
    }

    /** A connector whose connections leave from the default local address. */
    public static WebSocketConnector start(String name) {
        return new WebSocketConnector(name, null);
    }

    /** A connector whose connections leave from {@code sourceAddress} (for example 127.0.0.2). */
    public static WebSocketConnector start(String name, InetAddress sourceAddress) {
        return new WebSocketConnector(name, sourceAddress);
    }

    /**
     * Starts the upgrade. The future completes once the connection is open (after {@link ClientSocket.Listener#onOpen}),
     * or fails with {@link HandshakeRefused} when the server answers with another status.
     *
     * @param offerDeflate offer permessage-deflate, as every browser does; {@link ClientSocket#extensions()} tells
     *     what the server agreed to
     */
    public CompletableFuture<ClientSocket> connect(
            URI uri, Map<String, String> headers, boolean offerDeflate, ClientSocket.Listener listener) {
        ClientSocket socket = new ClientSocket(listener);
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, uri, socket);
        request.headers(fields -> headers.forEach(fields::put));
        request.timeout(UPGRADE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (offerDeflate) {
            request.addExtensions("permessage-deflate; client_max_window_bits");
        }
        request.setConfiguration(limits());
        try {
            return client.connect(request).handle((session, failure) -> {
                if (failure != null) {
                    throw asRefusal(failure);
                }
                return socket;
            });
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Stops the client: every connection it opened is cut. */
    @Override
    public void close() {
        try {
            client.stop();
            http.stop();
        } catch (Exception e) {
            // Stopping on the way out: nothing left to do with the failure.
        }
    }

    private static Configuration.ConfigurationCustomizer limits() {
        Configuration.ConfigurationCustomizer limits = new Configuration.ConfigurationCustomizer();
        limits.setMaxFrameSize(MAX_FRAME_BYTES);
        limits.setMaxTextMessageSize(MAX_FRAME_BYTES);
        limits.setMaxBinaryMessageSize(MAX_FRAME_BYTES);
        // Servers ping idle connections; a test or benchmark decides itself when a silent connection is dead.
        limits.setIdleTimeout(Duration.ofMinutes(10));
        limits.setInputBufferSize(4096);
        return limits;
    }

    private static RuntimeException asRefusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UpgradeException upgrade && upgrade.getResponseStatusCode() > 0) {
                return new HandshakeRefused(upgrade.getResponseStatusCode(), failure);
            }
        }
        return failure instanceof CompletionException completion ? completion : new CompletionException(failure);
    }
}
