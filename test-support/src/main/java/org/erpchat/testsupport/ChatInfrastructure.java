package org.erpchat.testsupport;

import java.util.Map;

/**
 * The real servers a test talks to: PostgreSQL, Kafka and Redis. Obtained from {@link SharedInfrastructure#get()},
 * which starts them once per test JVM. The stop and start methods let a test take a server away and bring it back
 * with its data and address unchanged, as a restarted production server would come back.
 */
public interface ChatInfrastructure {

    /** The database every service test uses; it exists before any test runs. */
    String DATABASE = "chat";

    /** "embedded" or "testcontainers". */
    String kind();

    String jdbcUrl();

    String jdbcUsername();

    String jdbcPassword();

    String kafkaBootstrapServers();

    String redisHost();

    int redisPort();

    void stopKafka();

    void startKafka();

    /**
     * Freezes the Kafka broker without closing anything: its connections stay open and nothing is answered, as when
     * the broker process is stopped with SIGSTOP or its VM is paused. Clients see timeouts, not refused connections.
     */
    void freezeKafka();

    /** Lets a frozen broker run on, with its data, connections and address unchanged. */
    void thawKafka();

    /**
     * Freezes one PostgreSQL backend process (SIGSTOP): its client's connection stays open and is never answered, as
     * a connection to a lost host or a failed-over primary is. The rest of the server works on.
     */
    void freezePostgresBackend(int pid);

    /** Lets a frozen backend run on (SIGCONT). */
    void thawPostgresBackend(int pid);

    void stopRedis();

    void startRedis();

    /**
     * Spring Boot properties that point a service started as a separate process at these servers (for tests that run
     * several services together).
     */
    default Map<String, String> springProperties() {
        return Map.of(
                "spring.datasource.url", jdbcUrl(),
                "spring.datasource.username", jdbcUsername(),
                "spring.datasource.password", jdbcPassword(),
                "spring.kafka.bootstrap-servers", kafkaBootstrapServers(),
                "spring.data.redis.host", redisHost(),
                "spring.data.redis.port", Integer.toString(redisPort()));
    }
}
