package org.erpchat.bench.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.erpchat.bench.client.Histograms;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sessions opened (and resumed) by all processes: how many, how many gave up, the attempts it took, and when each was
 * live, in milliseconds from the start of its process's batch.
 */
record ConnectOutcome(
        long opened,
        long failed,
        long attempts,
        Histogram millis,
        List<Long> doneAtMillis,
        String firstError,
        Map<String, Long> retryReasons) {

    static ConnectOutcome of(List<JsonNode> answers) {
        long opened = 0;
        long failed = 0;
        long attempts = 0;
        Histogram millis = new Histogram(3);
        List<Long> doneAt = new ArrayList<>();
        String firstError = null;
        Map<String, Long> retryReasons = new TreeMap<>();
        for (JsonNode answer : answers) {
            answer.path("retry_reasons")
                    .properties()
                    .forEach(entry ->
                            retryReasons.merge(entry.getKey(), entry.getValue().asLong(), Long::sum));
            if (firstError == null && answer.hasNonNull("first_error")) {
                firstError = answer.path("first_error").asString();
            }
            opened += answer.path("opened").asLong();
            failed += answer.path("failed").asLong();
            attempts += answer.path("attempts").asLong();
            millis.add(Histograms.decode(answer.path("latency").asString()));
            answer.path("done_at_ms").forEach(value -> doneAt.add(value.asLong()));
        }
        Collections.sort(doneAt);
        return new ConnectOutcome(opened, failed, attempts, millis, doneAt, firstError, retryReasons);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance
                .objectNode()
                .put("opened", opened)
                .put("failed", failed)
                .put("attempts", attempts)
                .put("live_p50_ms", millis.getValueAtPercentile(50))
                .put("live_p99_ms", millis.getValueAtPercentile(99))
                .put("all_live_ms", millis.getMaxValue());
        if (firstError != null) {
            json.put("first_error", firstError);
        }
        ObjectNode reasons = json.putObject("retry_reasons");
        retryReasons.forEach(reasons::put);
        return json;
    }
}
