package org.erpchat.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky's packaged binaries) in a child process. The data directory is kept between runs,
 * so a restarted server has its data.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres postgres;

    public PostgresServer(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = FreePort.orFree(port);
    }

    public synchronized PostgresServer start() {
        if (postgres != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // Whoever starts the server stops it, in order: a hook of its own would stop PostgreSQL at JVM
                    // exit while the services using it are still shutting down.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "300")
                    // Durable commits, as a production server has them: the embedded server's defaults turn
                    // synchronous_commit off (a commit returns before its WAL is flushed, and a crash can lose it),
                    // which also made every benchmark look cheaper than a real deployment (docs/benchmarks.md).
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // Statement statistics for benchmarks (CREATE EXTENSION pg_stat_statements to read them); loading
                    // the module costs next to nothing until then.
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir, e);
        }
        log.info("PostgreSQL listening on 127.0.0.1:{}, data in {}", port, dataDir);
        return this;
    }

    public synchronized void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = postgres.getDatabase(USER, "postgres").getConnection();
                Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("select 1 from pg_database where datname = '" + name + "'");
            if (!exists.next()) {
                statement.execute("create database " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
    }

    /**
     * Sends a signal ({@code STOP}, {@code CONT}) to one backend process of this server, for tests of a connection whose
     * server stops answering. Only the postmaster's own children are signalled.
     */
    public void signalBackend(String signal, int pid) {
        long postmaster = postmasterPid();
        boolean backend = ProcessHandle.of(postmaster).stream()
                .flatMap(ProcessHandle::children)
                .anyMatch(child -> child.pid() == pid);
        if (!backend) {
            throw new IllegalArgumentException(pid + " is not a backend of the PostgreSQL server " + postmaster);
        }
        Signals.send(signal, pid);
    }

    private long postmasterPid() {
        try {
            // The first line of postmaster.pid is the server's process id.
            return Long.parseLong(
                    Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL is not running in " + dataDir, e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }
}
