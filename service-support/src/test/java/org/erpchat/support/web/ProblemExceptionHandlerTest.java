package org.erpchat.support.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.erpchat.support.domain.RefusedException;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The edge's translation of failures into problem details, on Spring MVC without a server or another process. */
class ProblemExceptionHandlerTest {

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
            .setControllerAdvice(new ApiExceptionHandler())
            .build();

    @Test
    void eachKindOfDomainRefusalHasItsStatusAndKeepsItsCodeAndDetail() throws Exception {
        expectProblem("invalid", 400, "invalid_request", "name is required");
        expectProblem("not-found", 404, "not_found", "group not found");
        expectProblem("forbidden", 403, "forbidden", "only the group's owner changes roles");
        expectProblem("unprocessable", 422, "unknown_user", "unknown user ids: [7]");
    }

    @Test
    void anApiExceptionKeepsItsStatusCodeAndHeaders() throws Exception {
        mvc.perform(get("/fail/rate-limited"))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "3"))
                .andExpect(jsonPath("$.code").value("rate_limited"));
    }

    @Test
    void anUnreadableBodyNamesTheFieldNeverAJavaType() throws Exception {
        mvc.perform(post("/echo").contentType(MediaType.APPLICATION_JSON).content("{\"name\": {\"a\": 1}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_request"))
                .andExpect(jsonPath("$.detail").value("`name` must be a JSON string"));
    }

    @Test
    void anUnreachableStoreIsAnOutageAndAnythingElseRevealsNothing() throws Exception {
        mvc.perform(get("/fail/store-down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("unavailable"));
        mvc.perform(get("/fail/bug"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.code").value("internal_error"))
                .andExpect(jsonPath("$.detail").value(Matchers.not(Matchers.containsString("secret"))));
    }

    private void expectProblem(String failure, int status, String code, String detail) throws Exception {
        mvc.perform(get("/fail/" + failure))
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.code").value(code))
                .andExpect(jsonPath("$.detail").value(detail))
                .andExpect(jsonPath("$.instance").value("/fail/" + failure));
    }

    record Named(String name) {}

    /** As every service declares it. */
    @RestControllerAdvice
    static class ApiExceptionHandler extends ProblemExceptionHandler {}

    @RestController
    static class FailingController {

        @GetMapping("/fail/{failure}")
        String fail(@PathVariable String failure) {
            throw switch (failure) {
                case "invalid" -> RefusedException.invalid("name is required");
                case "not-found" -> RefusedException.notFound("group");
                case "forbidden" -> RefusedException.forbidden("only the group's owner changes roles");
                case "unprocessable" ->
                    new RefusedException(RefusedException.Kind.UNPROCESSABLE, "unknown_user", "unknown user ids: [7]");
                case "rate-limited" -> {
                    HttpHeaders headers = new HttpHeaders();
                    headers.set(HttpHeaders.RETRY_AFTER, "3");
                    yield new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", "slow down", headers);
                }
                case "store-down" -> new DataAccessResourceFailureException("connection refused");
                default -> new IllegalStateException("secret internals");
            };
        }

        @PostMapping("/echo")
        Named echo(@RequestBody Named body) {
            return body;
        }
    }
}
