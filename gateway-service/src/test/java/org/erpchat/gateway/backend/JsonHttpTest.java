package org.erpchat.gateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.erpchat.gateway.support.JsonBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a service's refusal becomes a kind of failure: the caller's fault, or one worth trying again. */
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
}
