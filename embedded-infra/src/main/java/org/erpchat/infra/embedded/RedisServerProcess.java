package org.erpchat.infra.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary packaged by {@code embedded-redis}) in a child process, with append-only
 * persistence in its data directory as the seed's deployment has.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServerProcess.class);

    private final Path dataDir;
    private final int port;
    private RedisServer server;

    public RedisServerProcess(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = FreePort.orFree(port);
    }

    public synchronized RedisServerProcess start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dataDir.toAbsolutePath())
                    .setting("appendonly yes")
                    .setting("save \"\"")
                    .setting("daemonize no")
                    .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Redis in " + dataDir, e);
        }
        log.info("Redis listening on 127.0.0.1:{}, data in {}", port, dataDir);
        return this;
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
