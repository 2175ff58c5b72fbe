package org.erpchat.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.erpchat.infra.embedded.JavaServiceProcess;
import org.erpchat.infra.embedded.KraftBroker;
import org.erpchat.infra.embedded.PostgresServer;
import org.erpchat.infra.embedded.RedisServerProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine: PostgreSQL, Kafka and Redis (embedded real servers unless external ones are
 * configured), message-service, presence-service and gateway-service as separate processes, and the development token
 * issuer. {@link #close()} stops everything in reverse order, the gateway first so its clients are told to reconnect.
 */
final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final String DATABASE = "chat";

    private final LocalStackSettings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private String jdbcUrl;
    private String kafkaBootstrapServers;
    private String redisHost;
    private String jwtSecret;
    private JavaServiceProcess messageService;
    private JavaServiceProcess presenceService;
    private JavaServiceProcess gatewayService;

    LocalStack(LocalStackSettings settings) {
        this.settings = settings;
    }

    LocalStack start() {
        try {
            Files.createDirectories(settings.dataDir().resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jwtSecret =
                settings.jwtSecret() != null ? settings.jwtSecret() : DevTokens.loadOrCreateSecret(settings.dataDir());
        startInfrastructure();
        startServices();
        DevTokens tokens = new DevTokens(jwtSecret, Clock.systemUTC());
        started.add(new DevTokenServer(settings.devTokenPort(), tokens, webOrigins()).start());
        return this;
    }

    String gatewayUrl() {
        return "http://localhost:" + settings.gatewayPort();
    }

    /** Where the web app may be opened from: the gateway, by name or by loopback address. */
    List<String> webOrigins() {
        return List.of(gatewayUrl(), "http://127.0.0.1:" + settings.gatewayPort());
    }

    String messageServiceUrl() {
        return "http://localhost:" + settings.messagePort();
    }

    String presenceServiceUrl() {
        return "http://localhost:" + settings.presencePort();
    }

    String devTokenUrl() {
        return "http://localhost:" + settings.devTokenPort() + "/dev/token";
    }

    String jwtSecret() {
        return jwtSecret;
    }

    JavaServiceProcess gateway() {
        return gatewayService;
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(started);
        java.util.Collections.reverse(reversed);
        for (AutoCloseable closeable : reversed) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", closeable, e.toString());
            }
        }
        started.clear();
    }

    private void startInfrastructure() {
        Path data = settings.dataDir();
        if (settings.externalPostgresUrl() != null) {
            jdbcUrl = settings.externalPostgresUrl();
        } else {
            PostgresServer postgres = new PostgresServer(data.resolve("postgres"), settings.postgresPort()).start();
            started.add(postgres);
            postgres.createDatabase(DATABASE);
            jdbcUrl = postgres.jdbcUrl(DATABASE);
        }
        if (settings.externalRedisHost() != null) {
            redisHost = settings.externalRedisHost();
        } else {
            started.add(new RedisServerProcess(data.resolve("redis"), settings.redisPort()).start());
            redisHost = "127.0.0.1";
        }
        if (settings.externalKafka() != null) {
            kafkaBootstrapServers = settings.externalKafka();
        } else {
            KraftBroker kafka = new KraftBroker(data.resolve("kafka"), settings.kafkaPort(), Map.of()).start();
            started.add(kafka);
            kafkaBootstrapServers = kafka.bootstrapServers();
        }
    }

    private void startServices() {
        Map<String, String> common = new LinkedHashMap<>();
        common.put("spring.profiles.active", "local");
        common.put("spring.kafka.bootstrap-servers", kafkaBootstrapServers);
        common.put("spring.data.redis.host", redisHost);
        common.put("spring.data.redis.port", Integer.toString(settings.redisPort()));

        Map<String, String> messageProperties = new LinkedHashMap<>(common);
        messageProperties.put("spring.datasource.url", jdbcUrl);
        messageProperties.put("chat.web.cors.allowed-origins", String.join(",", webOrigins()));
        messageService = service("message-service", settings.messagePort(), messageProperties);

        Map<String, String> presenceProperties = new LinkedHashMap<>(common);
        presenceProperties.put("chat.web.cors.allowed-origins", String.join(",", webOrigins()));
        presenceService = service("presence-service", settings.presencePort(), presenceProperties);

        Map<String, String> gatewayProperties = new LinkedHashMap<>(common);
        gatewayProperties.put("chat.gateway.message-service.base-url", "http://127.0.0.1:" + settings.messagePort());
        gatewayProperties.put("chat.gateway.presence-service.base-url", "http://127.0.0.1:" + settings.presencePort());
        gatewayProperties.put("chat.gateway.allowed-origins", String.join(",", webOrigins()));
        gatewayProperties.put("chat.gateway.web.dev-token-url", devTokenUrl());
        gatewayProperties.put("chat.gateway.web.message-service-url", messageServiceUrl());
        gatewayProperties.put("chat.gateway.web.presence-service-url", presenceServiceUrl());
        gatewayService = service("gateway-service", settings.gatewayPort(), gatewayProperties);

        // message-service owns the schema and creates the topics; the others start once it is ready.
        messageService.start();
        messageService.awaitReady(settings.startupTimeout());
        presenceService.start();
        gatewayService.start();
        presenceService.awaitReady(settings.startupTimeout());
        gatewayService.awaitReady(settings.startupTimeout());
    }

    private JavaServiceProcess service(String module, int port, Map<String, String> properties) {
        Map<String, String> environment = new LinkedHashMap<>();
        // Secrets go through the environment, not the command line (which `ps` shows to every user).
        environment.put("CHAT_SECURITY_JWT_SECRET", jwtSecret);
        if (settings.externalPostgresUrl() != null) {
            environment.put("SPRING_DATASOURCE_USERNAME", settings.postgresUser());
            environment.put("SPRING_DATASOURCE_PASSWORD", settings.postgresPassword());
        } else {
            environment.put("SPRING_DATASOURCE_USERNAME", PostgresServer.USER);
            environment.put("SPRING_DATASOURCE_PASSWORD", PostgresServer.PASSWORD);
        }
        List<String> jvmOptions = new ArrayList<>();
        jvmOptions.add("-Xmx" + settings.serviceHeap());
        jvmOptions.addAll(settings.jvmOptionsOf(module));
        JavaServiceProcess process = new JavaServiceProcess(
                module,
                executableJar(module),
                port,
                settings.dataDir().resolve("logs").resolve(module + ".log"),
                jvmOptions,
                properties,
                environment);
        started.add(process);
        return process;
    }

    private Path executableJar(String module) {
        Path target = settings.repositoryRoot().resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(path -> path.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "No executable jar in " + target + ". Build first: ./mvnw -DskipTests package"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
