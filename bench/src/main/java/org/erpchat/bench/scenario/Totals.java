package org.erpchat.bench.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.erpchat.bench.client.Histograms;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The {@code stats} answers of all load-generator processes, added up. */
record Totals(
        long delivered,
        long duplicates,
        long gaps,
        long acks,
        long open,
        long restInFlight,
        Map<String, Long> messageErrors,
        Map<String, Long> protocolErrors,
        Map<String, Long> closes,
        Map<String, Long> restStatuses,
        Histogram latencyMicros) {

    static Totals of(List<JsonNode> answers) {
        long delivered = 0;
        long duplicates = 0;
        long gaps = 0;
        long acks = 0;
        long open = 0;
        long restInFlight = 0;
        Map<String, Long> messageErrors = new TreeMap<>();
        Map<String, Long> protocolErrors = new TreeMap<>();
        Map<String, Long> closes = new TreeMap<>();
        Map<String, Long> restStatuses = new TreeMap<>();
        Histogram latency = new Histogram(3);
        for (JsonNode answer : answers) {
            delivered += answer.path("delivered").asLong();
            duplicates += answer.path("duplicates").asLong();
            gaps += answer.path("gaps").asLong();
            acks += answer.path("acks").asLong();
            open += answer.path("open").asLong();
            restInFlight += answer.path("rest_in_flight").asLong();
            add(messageErrors, answer.path("message_errors"));
            add(protocolErrors, answer.path("protocol_errors"));
            add(closes, answer.path("closes"));
            add(restStatuses, answer.path("rest_statuses"));
            latency.add(Histograms.decode(answer.path("latency").asString()));
        }
        return new Totals(
                delivered,
                duplicates,
                gaps,
                acks,
                open,
                restInFlight,
                messageErrors,
                protocolErrors,
                closes,
                restStatuses,
                latency);
    }

    private static void add(Map<String, Long> into, JsonNode counts) {
        counts.properties()
                .forEach(entry -> into.merge(entry.getKey(), entry.getValue().asLong(), Long::sum));
    }

    /** The counters as JSON (the latency goes into reports separately, as percentiles). */
    ObjectNode countersJson() {
        ObjectNode json = JsonNodeFactory.instance
                .objectNode()
                .put("delivered", delivered)
                .put("duplicates", duplicates)
                .put("gaps", gaps)
                .put("acks", acks);
        json.set("message_errors", toJson(messageErrors));
        json.set("protocol_errors", toJson(protocolErrors));
        json.set("close_codes", toJson(closes));
        json.set("rest_statuses", toJson(restStatuses));
        return json;
    }

    private static ObjectNode toJson(Map<String, Long> counts) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        counts.forEach(json::put);
        return json;
    }
}
