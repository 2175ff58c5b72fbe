package org.erpchat.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP relay on a port of its own to a real server, for a test that makes that server unreachable and then
 * reachable again, as a network or a restarting service would: while {@link #refuse refusing}, every connection is
 * accepted and closed at once (and counted, so a test knows a caller has tried); while {@link #forward forwarding},
 * bytes are copied both ways.
 */
public final class TcpRelay implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean forwarding;

    /** Starts refusing; {@code target} is a URL whose host and port the relay connects to. */
    public TcpRelay(String target) {
        URI uri = URI.create(target);
        this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
        try {
            server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptAll, "tcp-relay-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The relay's address as an {@code http} base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections closed unanswered so far. */
    public int refusedConnections() {
        return refused.get();
    }

    public void refuse() {
        forwarding = false;
    }

    public void forward() {
        forwarding = true;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (!forwarding) {
                    refused.incrementAndGet();
                    client.close();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // The server socket closed (the relay stops), or one connection failed: the caller sees it fail.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread copier = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // One side went away: the other is closed below.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-relay-pump");
        copier.setDaemon(true);
        copier.start();
    }

    @Override
    public void close() {
        closeQuietly(server);
        open.forEach(TcpRelay::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
