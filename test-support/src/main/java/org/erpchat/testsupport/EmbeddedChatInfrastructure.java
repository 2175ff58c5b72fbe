package org.erpchat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.erpchat.infra.embedded.KafkaBrokerProcess;
import org.erpchat.infra.embedded.PostgresServer;
import org.erpchat.infra.embedded.RedisServerProcess;

/**
 * Real servers from Maven Central artifacts, for machines without Docker, each in a process of its own (so a test can
 * stop or freeze one as an outage would). Data lives in a temporary directory.
 */
final class EmbeddedChatInfrastructure implements ChatInfrastructure {

    private final Path baseDir;
    private final PostgresServer postgres;
    private final KafkaBrokerProcess kafka;
    private final RedisServerProcess redis;

    EmbeddedChatInfrastructure() {
        try {
            baseDir = Files.createTempDirectory("erpchat-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postgres = new PostgresServer(baseDir.resolve("postgres"), 0);
        kafka = new KafkaBrokerProcess(baseDir.resolve("kafka"), 0);
        redis = new RedisServerProcess(baseDir.resolve("redis"), 0);
    }

    void start() {
        // The three start independently; doing it in parallel saves seconds on every test JVM.
        List<CompletableFuture<Void>> starting = List.of(
                CompletableFuture.runAsync(() -> {
                    postgres.start();
                    postgres.createDatabase(DATABASE);
                }),
                CompletableFuture.runAsync(kafka::start),
                CompletableFuture.runAsync(redis::start));
        // Waits for all of them even when one fails, so that a shutdown afterwards finds every server that came up.
        RuntimeException failure = null;
        for (CompletableFuture<Void> server : starting) {
            try {
                server.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime ? runtime : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    void shutdown() {
        kafka.stop();
        redis.stop();
        postgres.stop();
        deleteRecursively(baseDir);
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public String jdbcUrl() {
        return postgres.jdbcUrl(DATABASE);
    }

    @Override
    public String jdbcUsername() {
        return PostgresServer.USER;
    }

    @Override
    public String jdbcPassword() {
        return PostgresServer.PASSWORD;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String redisHost() {
        return redis.host();
    }

    @Override
    public int redisPort() {
        return redis.port();
    }

    @Override
    public void stopKafka() {
        kafka.stop();
    }

    @Override
    public void startKafka() {
        kafka.start();
    }

    @Override
    public void freezeKafka() {
        kafka.freeze();
    }

    @Override
    public void thawKafka() {
        kafka.thaw();
    }

    @Override
    public void freezePostgresBackend(int pid) {
        postgres.signalBackend("STOP", pid);
    }

    @Override
    public void thawPostgresBackend(int pid) {
        postgres.signalBackend("CONT", pid);
    }

    @Override
    public void stopRedis() {
        redis.stop();
    }

    @Override
    public void startRedis() {
        redis.start();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temporary directory is not worth failing a test run for.
        }
    }
}
