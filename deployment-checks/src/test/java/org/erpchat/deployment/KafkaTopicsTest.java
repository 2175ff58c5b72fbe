package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.erpchat.deployment.Manifests.Manifest;
import org.junit.jupiter.api.Test;

/** infra/kafka/topics.conf, and the copies compose and Kubernetes run, define exactly the chat topics and their DLTs. */
class KafkaTopicsTest {

    private static final String TOPICS_CONF = "infra/kafka/topics.conf";
    private static final String SCRIPT = "infra/kafka/create-topics.sh";
    private static final String TOPICS_SOURCE = "common-events/src/main/java/org/erpchat/events/Topics.java";
    private static final Pattern CONSTANT =
            Pattern.compile("public\\s+static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]+)\"\\s*;");

    record Topic(String name, int partitions, long retentionMs, String cleanupPolicy) {}

    static Map<String, Topic> topics(String text) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] columns = trimmed.split("\\s+");
            assertThat(columns)
                    .as("name partitions retention.ms cleanup.policy: %s", line)
                    .hasSize(4);
            Topic topic = new Topic(columns[0], Integer.parseInt(columns[1]), Long.parseLong(columns[2]), columns[3]);
            assertThat(topics.put(topic.name(), topic))
                    .as("%s listed twice", topic.name())
                    .isNull();
        }
        return topics;
    }

    /** The topic constants of org.erpchat.events.Topics, from its source: every String constant but the suffix. */
    static Set<String> chatTopics() {
        Set<String> names = new TreeSet<>();
        constants().forEach((name, value) -> {
            if (!name.equals("DEAD_LETTER_SUFFIX")) {
                names.add(value);
            }
        });
        return names;
    }

    /** {@code <topic>.dlt}, with the suffix from the same source. */
    static String deadLetter(String topic) {
        String suffix = constants().get("DEAD_LETTER_SUFFIX");
        assertThat(suffix).as("DEAD_LETTER_SUFFIX in " + TOPICS_SOURCE).isNotNull();
        return topic + suffix;
    }

    private static Map<String, String> constants() {
        Map<String, String> constants = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(Repo.read(TOPICS_SOURCE));
        while (m.find()) {
            constants.put(m.group(1), m.group(2));
        }
        return constants;
    }

    @Test
    void topicsAreTheChatTopicsAndTheirDeadLetterTopics() {
        Set<String> expected = new TreeSet<>();
        for (String topic : chatTopics()) {
            expected.add(topic);
            expected.add(deadLetter(topic));
        }
        assertThat(chatTopics()).contains("chat.message-commands", "chat.connection-events");
        assertThat(new TreeSet<>(topics(Repo.read(TOPICS_CONF)).keySet())).isEqualTo(expected);
    }

    @Test
    void topicSettingsAreSound() {
        Map<String, Topic> topics = topics(Repo.read(TOPICS_CONF));
        for (Topic topic : topics.values()) {
            assertThat(topic.partitions()).as("partitions of %s", topic.name()).isPositive();
            assertThat(topic.retentionMs())
                    .as("retention.ms of %s", topic.name())
                    .isPositive();
            // Compaction would keep only the last event per key: never right for these event streams.
            assertThat(topic.cleanupPolicy())
                    .as("cleanup.policy of %s", topic.name())
                    .isEqualTo("delete");
        }
        for (String name : chatTopics()) {
            Topic dlt = topics.get(deadLetter(name));
            assertThat(dlt).as("dead-letter topic of %s", name).isNotNull();
            assertThat(dlt.retentionMs())
                    .as("%s keeps records at least as long as %s, for operators to inspect", dlt.name(), name)
                    .isGreaterThanOrEqualTo(topics.get(name).retentionMs());
        }
    }

    @Test
    void consumerGroupsCannotOutgrowThePartitions() {
        // message-service and presence-service scale within their consumer groups: replicas x listener concurrency
        // consumers share the topic's partitions, and consumers beyond the partition count would sit idle.
        Map<String, Topic> topics = topics(Repo.read(TOPICS_CONF));
        Map<String, String> consumed = Map.of(
                "message-service", "chat.message-commands",
                "presence-service", "chat.connection-events");
        consumed.forEach((module, topic) -> {
            ServiceModule service = ServiceModule.named(module);
            int concurrency = Integer.parseInt(
                    service.value("spring.kafka.listener.concurrency").orElse("1"));
            Object replicas = Manifests.get("Deployment", module).at("spec", "replicas");
            int consumers = Integer.parseInt(String.valueOf(replicas)) * concurrency;
            assertThat(consumers)
                    .as("%s: %s replicas x concurrency %s consumers of %s", module, replicas, concurrency, topic)
                    .isLessThanOrEqualTo(topics.get(topic).partitions());
        });
    }

    @Test
    void kubernetesRunsExactCopiesOfTheTopicDefinitionsAndScript() {
        List<Manifest> sources = new ArrayList<>();
        for (Manifest job : Manifests.ofKind("Job")) {
            Map<String, Object> pod = Manifests.podSpec(job);
            String command = Manifests.containers(job).stream()
                    .flatMap(c -> java.util.stream.Stream.concat(
                            Yamls.list(c.get("command")).stream(), Yamls.list(c.get("args")).stream()))
                    .map(String::valueOf)
                    .collect(Collectors.joining(" "));
            if (!command.contains("create-topics.sh")) {
                continue;
            }
            for (Map<String, Object> volume : Yamls.maps(pod.get("volumes"))) {
                String configMap = Yamls.string(volume, "configMap", "name");
                if (configMap != null) {
                    sources.add(Manifests.get("ConfigMap", configMap));
                }
            }
            assertThat(command).as("%s creates topics with three replicas", job).contains("$(REPLICATION_FACTOR)");
            assertThat(Manifests.environment(Manifests.containers(job).get(0)))
                    .containsEntry("REPLICATION_FACTOR", "3");
        }
        assertThat(sources)
                .as("a Job running create-topics.sh from a ConfigMap")
                .hasSize(1);
        Map<String, String> data = Manifests.data(sources.get(0));
        assertThat(data.get("topics.conf"))
                .as("the ConfigMap's topics.conf is a copy of " + TOPICS_CONF)
                .isEqualTo(Repo.read(TOPICS_CONF));
        assertThat(data.get("create-topics.sh"))
                .as("the ConfigMap's create-topics.sh is a copy of " + SCRIPT)
                .isEqualTo(Repo.read(SCRIPT));
    }

    @Test
    void composeCreatesTheTopicsBeforeTheServicesStart() {
        Map<String, Object> job = Compose.service("kafka-topics");
        assertThat(Yamls.list(job.get("volumes"))).contains("./infra/kafka:/topics:ro");
        assertThat(Yamls.list(job.get("entrypoint"))).contains("/topics/create-topics.sh");
        assertThat(Yamls.string(job, "restart")).isEqualTo("no");
        Compose.builtServices().forEach((name, service) -> {
            if (Yamls.at(service, "depends_on", "kafka-topics") != null) {
                assertThat(Yamls.string(service, "depends_on", "kafka-topics", "condition"))
                        .isEqualTo("service_completed_successfully");
            }
        });
        assertThat(Yamls.string(Compose.service("message-service"), "depends_on", "kafka-topics", "condition"))
                .isEqualTo("service_completed_successfully");
    }

    @Test
    void theScriptReadsTopicsConfFromItsOwnDirectory() {
        String script = Repo.read(SCRIPT);
        assertThat(script).startsWith("#!/usr/bin/env bash").contains("set -euo pipefail");
        assertThat(script).contains("\"$here/topics.conf\"");
        assertThat(script).contains("--if-not-exists").contains("retention.ms=").contains("cleanup.policy=");
    }
}
