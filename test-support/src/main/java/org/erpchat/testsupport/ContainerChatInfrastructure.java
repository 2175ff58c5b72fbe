package org.erpchat.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Real servers in Docker containers, where a Docker engine is available. Spring tests connect to them through
 * {@code @ServiceConnection} (see {@link RealInfrastructureSelector}). Stopping a server pauses its container, which
 * keeps its data and its mapped port, like a broker that stops answering and later comes back.
 */
final class ContainerChatInfrastructure implements ChatInfrastructure {

    static final String POSTGRES_IMAGE = "postgres:17-alpine";
    static final String KAFKA_IMAGE = "apache/kafka:4.2.2";
    static final String REDIS_IMAGE = "redis:7-alpine";

    private final PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE).withDatabaseName(DATABASE);
    private final KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);

    @SuppressWarnings("resource")
    private final GenericContainer<?> redis = new GenericContainer<>(REDIS_IMAGE)
            .withCommand("redis-server", "--appendonly", "yes")
            .withExposedPorts(6379);

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    void start() {
        Startables.deepStart(Stream.of(postgres, kafka, redis)).join();
    }

    void shutdown() {
        Stream.of(kafka, redis, postgres).forEach(GenericContainer::stop);
    }

    PostgreSQLContainer postgres() {
        return postgres;
    }

    KafkaContainer kafka() {
        return kafka;
    }

    GenericContainer<?> redis() {
        return redis;
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl();
    }

    @Override
    public String jdbcUsername() {
        return postgres.getUsername();
    }

    @Override
    public String jdbcPassword() {
        return postgres.getPassword();
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String redisHost() {
        return redis.getHost();
    }

    @Override
    public int redisPort() {
        return redis.getMappedPort(6379);
    }

    @Override
    public void stopKafka() {
        pause(kafka);
    }

    @Override
    public void startKafka() {
        unpause(kafka);
    }

    @Override
    public void freezeKafka() {
        // docker pause freezes the container's processes (cgroup freezer): the same as SIGSTOP on the broker.
        pause(kafka);
    }

    @Override
    public void thawKafka() {
        unpause(kafka);
    }

    @Override
    public void freezePostgresBackend(int pid) {
        signalInPostgres("STOP", pid);
    }

    @Override
    public void thawPostgresBackend(int pid) {
        signalInPostgres("CONT", pid);
    }

    private void signalInPostgres(String signal, int pid) {
        try {
            var result = postgres.execInContainer("kill", "-" + signal, Integer.toString(pid));
            if (result.getExitCode() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + ": " + result.getStderr());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stopRedis() {
        pause(redis);
    }

    @Override
    public void startRedis() {
        unpause(redis);
    }

    private static void pause(GenericContainer<?> container) {
        DockerClientFactory.instance()
                .client()
                .pauseContainerCmd(container.getContainerId())
                .exec();
    }

    private static void unpause(GenericContainer<?> container) {
        DockerClientFactory.instance()
                .client()
                .unpauseContainerCmd(container.getContainerId())
                .exec();
    }
}
