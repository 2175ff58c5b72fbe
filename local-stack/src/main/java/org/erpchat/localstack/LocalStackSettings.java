package org.erpchat.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the local stack runs and where, read from environment variables so the same command works everywhere.
 *
 * <table>
 *   <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>CHAT_DATA_DIR</td><td>.local-stack</td><td>data of the embedded servers, logs, the dev JWT secret</td></tr>
 *   <tr><td>CHAT_GATEWAY_PORT / CHAT_MESSAGE_PORT / CHAT_PRESENCE_PORT</td><td>8080 / 8081 / 8082</td>
 *       <td>HTTP ports of the services</td></tr>
 *   <tr><td>CHAT_DEV_TOKEN_PORT</td><td>8090</td><td>the development token issuer</td></tr>
 *   <tr><td>CHAT_KAFKA_BOOTSTRAP_SERVERS</td><td>(embedded)</td><td>use this Kafka instead of the embedded one</td></tr>
 *   <tr><td>CHAT_KAFKA_PORT</td><td>19092</td><td>port of the embedded Kafka</td></tr>
 *   <tr><td>CHAT_POSTGRES_URL, CHAT_POSTGRES_USER, CHAT_POSTGRES_PASSWORD</td><td>(embedded)</td>
 *       <td>use this PostgreSQL database (JDBC URL) instead of the embedded one</td></tr>
 *   <tr><td>CHAT_POSTGRES_PORT</td><td>15432</td><td>port of the embedded PostgreSQL</td></tr>
 *   <tr><td>CHAT_REDIS_HOST, CHAT_REDIS_PORT</td><td>(embedded), 16379</td>
 *       <td>use this Redis instead of the embedded one / port of the embedded one</td></tr>
 *   <tr><td>CHAT_JWT_SECRET</td><td>(generated once, kept in the data dir)</td><td>HS256 secret shared by services and
 *       the dev token issuer</td></tr>
 *   <tr><td>CHAT_SERVICE_HEAP</td><td>384m</td><td>maximum heap of each service process</td></tr>
 *   <tr><td>CHAT_SERVICE_JVM_OPTIONS</td><td>-XX:+UseSerialGC -XX:TieredStopAtLevel=1</td><td>other JVM options of each
 *       service process: the default starts fast and runs small; benchmarks want the full JIT. {@value #SERVICE}
 *       stands for the service's module name, for files of its own</td></tr>
 * </table>
 */
record LocalStackSettings(
        Path repositoryRoot,
        Path dataDir,
        int gatewayPort,
        int messagePort,
        int presencePort,
        int devTokenPort,
        String externalKafka,
        int kafkaPort,
        String externalPostgresUrl,
        String postgresUser,
        String postgresPassword,
        int postgresPort,
        String externalRedisHost,
        int redisPort,
        String jwtSecret,
        String serviceHeap,
        List<String> serviceJvmOptions,
        Duration startupTimeout) {

    static final String DEFAULT_SERVICE_JVM_OPTIONS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    /** In {@code CHAT_SERVICE_JVM_OPTIONS}, replaced by each service's module name. */
    static final String SERVICE = "{service}";

    static LocalStackSettings fromEnvironment(Path repositoryRoot, Map<String, String> env) {
        return new LocalStackSettings(
                repositoryRoot,
                repositoryRoot.resolve(env.getOrDefault("CHAT_DATA_DIR", ".local-stack")),
                port(env, "CHAT_GATEWAY_PORT", 8080),
                port(env, "CHAT_MESSAGE_PORT", 8081),
                port(env, "CHAT_PRESENCE_PORT", 8082),
                port(env, "CHAT_DEV_TOKEN_PORT", 8090),
                blankToNull(env.get("CHAT_KAFKA_BOOTSTRAP_SERVERS")),
                port(env, "CHAT_KAFKA_PORT", 19092),
                blankToNull(env.get("CHAT_POSTGRES_URL")),
                env.getOrDefault("CHAT_POSTGRES_USER", "postgres"),
                env.getOrDefault("CHAT_POSTGRES_PASSWORD", "postgres"),
                port(env, "CHAT_POSTGRES_PORT", 15432),
                blankToNull(env.get("CHAT_REDIS_HOST")),
                port(env, "CHAT_REDIS_PORT", 16379),
                blankToNull(env.get("CHAT_JWT_SECRET")),
                env.getOrDefault("CHAT_SERVICE_HEAP", "384m"),
                List.of(env.getOrDefault("CHAT_SERVICE_JVM_OPTIONS", DEFAULT_SERVICE_JVM_OPTIONS)
                        .trim()
                        .split("\\s+")),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("CHAT_STARTUP_TIMEOUT_SECONDS", "180"))));
    }

    LocalStackSettings withPorts(
            int gateway, int message, int presence, int devToken, int kafka, int postgres, int redis) {
        return new LocalStackSettings(
                repositoryRoot,
                dataDir,
                gateway,
                message,
                presence,
                devToken,
                externalKafka,
                kafka,
                externalPostgresUrl,
                postgresUser,
                postgresPassword,
                postgres,
                externalRedisHost,
                redis,
                jwtSecret,
                serviceHeap,
                serviceJvmOptions,
                startupTimeout);
    }

    /** {@code CHAT_SERVICE_JVM_OPTIONS} as {@code module} runs them: the image gives each service files of its own. */
    List<String> jvmOptionsOf(String module) {
        return serviceJvmOptions.stream()
                .filter(option -> !option.isBlank())
                .map(option -> option.replace(SERVICE, module))
                .toList();
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
