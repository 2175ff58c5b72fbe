package org.erpchat.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.test.system.CapturedOutput;

/** Assertions on problem-detail answers and on what the service logged while giving them. */
final class Problems {

    private Problems() {}

    /** An RFC 9457 problem detail with this status and code, and a detail for humans. */
    static void assertProblem(Api.Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.longValue("status")).isEqualTo(status);
        assertThat(response.text("detail")).isNotBlank();
    }

    /** Nothing logged since {@code start} (a length of the output) at ERROR, and no stack trace or database error. */
    static void assertNoErrorLogged(CapturedOutput output, int start) {
        String logged = output.getAll().substring(start);
        assertThat(logged.lines().filter(line -> line.contains(" ERROR ")))
                .as("ERROR lines in the log")
                .isEmpty();
        assertThat(logged).doesNotContain("PSQLException").doesNotContain("\tat org.");
    }
}
