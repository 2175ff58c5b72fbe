package org.erpchat.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The metrics infra/README.md tells operators to watch are meters the services register. */
class MonitoringDocsTest {

    @Test
    void documentedMetricsExist() {
        Set<String> meters = new TreeSet<>();
        Pattern literal = Pattern.compile("\"(chat\\.[a-z0-9._]+)\"");
        for (String service : ServiceModule.all().keySet()) {
            for (Path source : Repo.files(Repo.path(service).resolve("src/main/java"), ".java")) {
                Matcher m = literal.matcher(Repo.read(source));
                while (m.find()) {
                    meters.add(m.group(1).replace('.', '_'));
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("`(chat_[a-z0-9_]+)`").matcher(Repo.read("infra/README.md"));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).hasSizeGreaterThanOrEqualTo(5);
        for (String metric : documented) {
            // Prometheus names: counters end in _total, timers and time gauges carry their unit.
            String meter = metric.replaceAll("_total$", "").replaceAll("_seconds$", "");
            assertThat(meters)
                    .as("%s in infra/README.md is a meter of a service", metric)
                    .contains(meter);
        }
    }
}
