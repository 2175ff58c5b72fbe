package org.erpchat.support.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * Puts the problem responses into the OpenAPI document ({@code /v3/api-docs}), which otherwise lists only a 200: the
 * shared {@code Problem} schema ({@code application/problem+json}, with the {@code code} member), and for every
 * operation the problems it can answer.
 *
 * <ul>
 *   <li>every operation: 401 {@code unauthorized} (every API operation needs a bearer token), 500
 *       {@code internal_error} and 503 {@code unavailable} (a store, or the key server tokens are checked with);
 *   <li>operations that take parameters or a body: 400 {@code invalid_request};
 *   <li>operations that take a body: 408 and 413 {@code invalid_request} ({@link RequestBodyLimit}), 415
 *       {@code unsupported_media_type} (a {@code Content-Type} other than JSON);
 *   <li>operations that answer a body: 406 {@code not_acceptable} (an {@code Accept} header that JSON does not
 *       satisfy);
 *   <li>whatever the method declares with {@link ProblemResponse} (404, 403, 409, 422, 429, feature codes...).
 * </ul>
 *
 * Success statuses other than 200 come from the controllers ({@code @ResponseStatus}, {@code @ApiResponse}). A 405
 * {@code method_not_allowed} (a method the path does not take) belongs to no operation, so it is listed nowhere; every
 * service answers it as docs/architecture.md says.
 */
public class ProblemApiDocs implements OpenApiCustomizer, OperationCustomizer {

    public static final String SCHEMA_NAME = "Problem";
    public static final String SCHEMA_REF = "#/components/schemas/" + SCHEMA_NAME;
    public static final String PROBLEM_JSON = "application/problem+json";

    @Override
    public void customise(OpenAPI openApi) {
        openApi.schema(SCHEMA_NAME, problemSchema());
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handlerMethod) {
        Map<Integer, Map<String, String>> problems = new TreeMap<>();
        boolean takesInput =
                (operation.getParameters() != null && !operation.getParameters().isEmpty())
                        || operation.getRequestBody() != null;
        if (takesInput) {
            add(
                    problems,
                    400,
                    ProblemCodes.INVALID_REQUEST,
                    "malformed JSON, a value of the wrong type, a missing or" + " invalid parameter or field");
        }
        // The method's own parameters: springdoc fills in the operation's request body after its customizers ran.
        boolean takesBody = operation.getRequestBody() != null
                || Arrays.stream(handlerMethod.getMethodParameters())
                        .anyMatch(parameter -> parameter.hasParameterAnnotation(RequestBody.class));
        if (takesBody) {
            add(
                    problems,
                    413,
                    ProblemCodes.INVALID_REQUEST,
                    "a request body larger than the service takes (chat.web.request-body), refused before it is read");
            add(
                    problems,
                    408,
                    ProblemCodes.INVALID_REQUEST,
                    "a request body still arriving chat.web.request-body.read-timeout after the request's headers, or"
                            + " one that stops arriving for that long; the connection is closed");
            add(
                    problems,
                    415,
                    ProblemCodes.UNSUPPORTED_MEDIA_TYPE,
                    "a request body whose `Content-Type` is not `application/json`");
        }
        if (AcceptsJson.answersABody(handlerMethod)) {
            add(
                    problems,
                    406,
                    ProblemCodes.NOT_ACCEPTABLE,
                    "an `Accept` header that admits no JSON (`application/json`)");
        }
        add(problems, 401, ProblemCodes.UNAUTHORIZED, "no bearer token, or an invalid or expired one");
        for (ProblemResponse declared : AnnotatedElementUtils.findMergedRepeatableAnnotations(
                handlerMethod.getMethod(), ProblemResponse.class)) {
            add(problems, declared.status(), declared.code(), declared.when());
        }
        add(problems, 500, ProblemCodes.INTERNAL_ERROR, "anything unexpected; the body reveals nothing of the cause");
        add(
                problems,
                503,
                ProblemCodes.UNAVAILABLE,
                "a store the service needs is unreachable or did not answer in time, what the request changes stayed"
                        + " locked by other work past the service's lock timeout, or the key server the bearer token is"
                        + " checked with did not answer (then with Retry-After); retry later");

        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        problems.forEach(
                (status, codes) -> responses.addApiResponse(Integer.toString(status), response(status, codes)));
        operation.setResponses(responses);
        return operation;
    }

    private static void add(Map<Integer, Map<String, String>> problems, int status, String code, String when) {
        problems.computeIfAbsent(status, s -> new LinkedHashMap<>()).merge(code, when, (a, b) -> a + "; " + b);
    }

    private static ApiResponse response(int status, Map<String, String> codes) {
        HttpStatus known = HttpStatus.resolve(status);
        StringBuilder description = new StringBuilder(known == null ? "Error" : known.getReasonPhrase())
                .append(": a problem detail whose `code` is");
        codes.forEach((code, when) ->
                description.append("\n- `").append(code).append("`: ").append(when));
        ApiResponse response = new ApiResponse()
                .description(description.toString())
                .content(new Content()
                        .addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref(SCHEMA_REF))));
        if (status == 429) {
            response.addHeaderObject(
                    "Retry-After",
                    new Header()
                            .description("seconds to wait before trying again")
                            .schema(new IntegerSchema()));
        } else if (status == 503) {
            response.addHeaderObject(
                    "Retry-After",
                    new Header()
                            .description("seconds to wait before sending the same token again, when the token could"
                                    + " not be checked")
                            .schema(new IntegerSchema()));
        }
        return response;
    }

    static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An RFC 9457 problem detail with a machine-readable `code` member; the codes every"
                        + " service shares are listed in docs/architecture.md, each operation lists the ones it"
                        + " can answer.")
                .addProperty("type", new StringSchema().format("uri").example("about:blank"))
                .addProperty("title", new StringSchema().description("the status's reason phrase"))
                .addProperty("status", new IntegerSchema().format("int32").description("the HTTP status, repeated"))
                .addProperty("detail", new StringSchema().description("what went wrong, for a human"))
                .addProperty(
                        "instance", new StringSchema().format("uri-reference").description("the path of the request"))
                .addProperty(
                        ProblemCodes.MEMBER,
                        new StringSchema()
                                .description("what went wrong, for a program: branch on this")
                                .example(ProblemCodes.INVALID_REQUEST))
                .required(List.of("type", "title", "status", "detail", ProblemCodes.MEMBER));
    }
}
