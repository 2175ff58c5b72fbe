package org.erpchat.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.Map;
import org.erpchat.gateway.support.JsonBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How a service's answer is read: a refusal becomes a kind of failure (the caller's fault, or one worth trying again),
 * and an answer is parsed as it arrives, over a connection kept for the next call.
 */
class JsonHttpTest {

    @ParameterizedTest
    @CsvSource({
        "400, REJECTED",
        "401, UNAUTHORIZED",
        "404, NOT_FOUND",
        "408, UNAVAILABLE",
        "422, REJECTED",
        "503, UNAVAILABLE"
    })
    void aRefusalIsTakenForWhatItsStatusSays(int status, BackendException.Kind kind) {
        String problem = "{\"status\":" + status + ",\"code\":\"some_code\",\"detail\":\"refused\"}";
        try (JsonBackend service = JsonBackend.start().answer("/api/thing", status, () -> problem)) {
            JsonHttp http = new JsonHttp(service.properties().messageService());

            BackendException refused =
                    catchThrowableOfType(BackendException.class, () -> http.get("token", Map.class, "/api/thing"));

            assertThat(refused.kind()).isEqualTo(kind);
        }
    }

    record Page(String id) {}

    @Test
    void anAnswerIsParsedAsItArrivesNotReadWholeFirst() {
        // A replay's page is hundreds of kilobytes; read whole, it was allocated twice more on the reading thread, as
        // one array of its size among them (past half a G1 region: humongous).
        // 4.6 MB of messages the reader skips, as a page's reader skips what it passes on untouched.
        String message = "{\"seq\":1,\"content\":\"" + "x".repeat(100) + "\"}";
        String page =
                "{\"id\":\"page-1\",\"messages\":[" + String.join(",", Collections.nCopies(36_000, message)) + "]}\n  ";
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (JsonBackend service = JsonBackend.start().answer("/api/sync", page)) {
            JsonHttp http = new JsonHttp(service.properties().messageService());
            assertThat(http.post("token", Map.of(), Page.class, "/api/sync")).isEqualTo(new Page("page-1"));

            long before = threads.getCurrentThreadAllocatedBytes();
            Page read = http.post("token", Map.of(), Page.class, "/api/sync");
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(read).isEqualTo(new Page("page-1"));
            // What is left is the JDK HTTP client's own buffers, about twice the answer (3.7 times with the answer
            // read whole first, then parsed).
            assertThat(allocated)
                    .as("bytes allocated reading an answer of %d bytes", page.length())
                    .isLessThan(3L * page.length());
            // Read to its end (the whitespace after the value too): every call after the first reuses the connection.
            http.post("token", Map.of(), Page.class, "/api/sync");
            assertThat(service.clientPorts())
                    .hasSize(3)
                    .containsOnly(service.clientPorts().get(0));
        }
    }
}
