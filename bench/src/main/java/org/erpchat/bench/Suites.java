package org.erpchat.bench;

import java.util.List;
import org.erpchat.bench.scenario.ConnectionsScenario;
import org.erpchat.bench.scenario.FanOutScenario;
import org.erpchat.bench.scenario.LatencyScenario;
import org.erpchat.bench.scenario.PipelineScenario;
import org.erpchat.bench.scenario.ReconnectStormScenario;
import org.erpchat.bench.scenario.ReplayScenario;
import org.erpchat.bench.scenario.Scenario;

/**
 * The suites: {@code short} (under 10 minutes with the stack's start), {@code full} (the figures of
 * docs/benchmarks.md), {@code smoke} (seconds; what the test runs, for correctness only) and {@code send-path}
 * (about three minutes: issue 12's rate alone, for comparing builds).
 */
final class Suites {

    static final List<String> NAMES = List.of("smoke", "short", "full", "send-path");

    private Suites() {}

    static List<Scenario> of(String name, List<String> only) {
        List<Scenario> scenarios = switch (name) {
            case "smoke" ->
                List.of(
                        new LatencyScenario(20, List.of(20), List.of("ws", "rest"), 2, 30, 2),
                        new PipelineScenario(40, 4, 40, 2, List.of(60), 2, 30, 2),
                        new FanOutScenario(List.of(10), List.of(90), 5, 2, 60_000, 2),
                        new ReplayScenario(List.of(200), 2, 20, 5, 10, 2),
                        new ReconnectStormScenario(40, 10, 20, 6));
            case "short" ->
                List.of(
                        new LatencyScenario(1_000, List.of(200, 1_000), List.of("ws", "rest"), 10, 3, 30),
                        new PipelineScenario(1_000, 10, 500, 30, List.of(1_000, 1_500, 2_000), 10, 3, 30),
                        new FanOutScenario(List.of(100, 1_000), List.of(250, 1_000, 4_000), 50, 8, 100, 10),
                        new ReplayScenario(List.of(10_000), 50, 200, 100, 200, 3),
                        new ReconnectStormScenario(2_000, 100, 20, 20),
                        new ConnectionsScenario(5_000, 2_500));
            case "full" ->
                List.of(
                        new LatencyScenario(1_000, List.of(200, 1_000, 5_000), List.of("ws", "rest"), 60, 10, 180),
                        new PipelineScenario(
                                1_000, 10, 1_000, 300, List.of(1_500, 2_000, 2_500, 3_000, 4_000), 30, 10, 180),
                        new FanOutScenario(
                                List.of(100, 1_000),
                                List.of(250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000),
                                50,
                                20,
                                100,
                                60),
                        new ReplayScenario(List.of(10_000, 100_000), 50, 500, 100, 200, 3),
                        new ReconnectStormScenario(10_000, 100, 20, 60),
                        // Last: it takes the gateway to its open-file limit.
                        new ConnectionsScenario(25_000, 2_500));
            // Issue 12's rate in two minutes, for comparing builds (docs/benchmarks.md section 7 from step 30 on):
            // the full suite's pipeline mix, 30 s at 100/s to warm up, then 1,000 messages/s for 90 s, no ladder.
            case "send-path" -> List.of(new PipelineScenario(1_000, 10, 1_000, 90, List.of(), 10, 10, 30));
            default -> throw new IllegalArgumentException("no suite " + name);
        };
        return only.isEmpty()
                ? scenarios
                : scenarios.stream().filter(s -> only.contains(s.name())).toList();
    }
}
