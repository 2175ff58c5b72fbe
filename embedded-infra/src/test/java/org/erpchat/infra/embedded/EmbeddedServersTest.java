package org.erpchat.infra.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedServersTest {

    @TempDir
    Path dir;

    @Test
    void kafkaKeepsItsRecordsAcrossARestartOnTheSamePort() throws Exception {
        try (KraftBroker broker = new KraftBroker(dir.resolve("kafka"), 0, Map.of()).start()) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker))) {
                producer.send(new ProducerRecord<>("t", "k", "before restart")).get();
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(broker))) {
                producer.send(new ProducerRecord<>("t", "k", "after restart")).get();
            }
            assertThat(readAll(broker, 2)).containsExactly("before restart", "after restart");
        }
    }

    @Test
    void aBrokerProcessFrozenWithSigstopAnswersNothingUntilThawedAndKeepsItsRecords() throws Exception {
        try (KafkaBrokerProcess broker = new KafkaBrokerProcess(dir.resolve("kafka-process"), 0).start()) {
            Map<String, Object> adminConfig = Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1)))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerProps(broker.bootstrapServers()))) {
                producer.send(new ProducerRecord<>("t", "k", "before freeze")).get();

                broker.freeze();
                try (Admin admin = Admin.create(adminConfig)) {
                    assertThat(admin.describeCluster().nodes())
                            .failsWithin(Duration.ofSeconds(30))
                            .withThrowableThat()
                            .withRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
                }
                var duringFreeze = producer.send(new ProducerRecord<>("t", "k", "sent while frozen"));

                broker.thaw();
                duringFreeze.get();
                producer.send(new ProducerRecord<>("t", "k", "after thaw")).get();
            }
            broker.stop();
            broker.start();
            assertThat(readAll(broker.bootstrapServers(), 3))
                    .containsExactly("before freeze", "sent while frozen", "after thaw");
        }
    }

    @Test
    void postgresRunsRealSqlCommitsDurablyAndKeepsDataAcrossARestart() throws Exception {
        PostgresServer postgres = new PostgresServer(dir.resolve("pg"), 0).start();
        postgres.createDatabase("chat");
        try (var c =
                DriverManager.getConnection(postgres.jdbcUrl("chat"), PostgresServer.USER, PostgresServer.PASSWORD)) {
            c.createStatement().execute("create table t (v text); insert into t values ('kept')");
        }
        postgres.stop();
        postgres.start();
        try (var c =
                DriverManager.getConnection(postgres.jdbcUrl("chat"), PostgresServer.USER, PostgresServer.PASSWORD)) {
            var rs = c.createStatement()
                    .executeQuery("select v, version(), current_setting('fsync'), current_setting('synchronous_commit')"
                            + " from t");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
            assertThat(rs.getString(2)).startsWith("PostgreSQL");
            // A commit is acknowledged only once its WAL is on disk.
            assertThat(rs.getString(3)).isEqualTo("on");
            assertThat(rs.getString(4)).isEqualTo("on");
        } finally {
            postgres.stop();
        }
    }

    @Test
    void redisAnswersRealCommands() throws Exception {
        try (RedisServerProcess redis = new RedisServerProcess(dir.resolve("redis"), 0).start();
                Socket socket = new Socket(redis.host(), redis.port())) {
            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.print("SET user:online:7 1\r\n");
            out.flush();
            assertThat(in.readLine()).isEqualTo("+OK");
            out.print("EXISTS user:online:7\r\n");
            out.flush();
            assertThat(in.readLine()).isEqualTo(":1");
        }
    }

    private static Properties producerProps(KraftBroker broker) {
        return producerProps(broker.bootstrapServers());
    }

    private static Properties producerProps(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return p;
    }

    private static List<String> readAll(KraftBroker broker, int expected) {
        return readAll(broker.bootstrapServers(), expected);
    }

    private static List<String> readAll(String bootstrapServers, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of("t"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
