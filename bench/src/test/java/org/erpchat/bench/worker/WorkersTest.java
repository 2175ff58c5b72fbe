package org.erpchat.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WorkersTest {

    /**
     * A worker whose stdout also carries something else (a profiler attached to it prints "Profiling started" there, a
     * library may print a line that is not JSON at all) still has its answers read: the line is passed on, not taken
     * for the end of the worker.
     */
    @Test
    void linesThatAreNotAnswersDoNotStopTheAnswersAfterThem() throws Exception {
        // A worker in miniature: it reads two commands and answers each, after a line that is no answer.
        Process process = new ProcessBuilder(
                        "sh",
                        "-c",
                        "read first; echo 'Profiling started'; echo '{\"id\":1,\"seen\":1}';"
                                + " read second; echo '[1,2'; echo '{\"id\":2,\"seen\":2}'; read rest")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (Workers workers = Workers.over(List.of(process))) {
            JsonNode first = workers.startAll(i -> Workers.command("stats"))
                    .get(30, TimeUnit.SECONDS)
                    .get(0);
            JsonNode second = workers.startAll(i -> Workers.command("stats"))
                    .get(30, TimeUnit.SECONDS)
                    .get(0);

            assertThat(first.path("seen").asInt()).isEqualTo(1);
            assertThat(second.path("seen").asInt()).isEqualTo(2);
        } finally {
            process.destroyForcibly();
            waitFor(process);
        }
    }

    private static void waitFor(Process process) throws IOException, InterruptedException {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IOException("the test's worker did not end");
        }
    }
}
