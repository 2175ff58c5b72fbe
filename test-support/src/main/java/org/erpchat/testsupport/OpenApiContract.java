package org.erpchat.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's served OpenAPI document, taken as the contract its clients are written from, and the checks a contract
 * test applies to every real answer: the operation lists the answer's status, with its content type, and the body
 * matches the schema given for it (required members, nullable ones, enums, formats: JSON Schema 2020-12 in the OpenAPI
 * 3.1 dialect, validated by networknt's json-schema-validator). A request body the test sends as valid must match its
 * operation's request schema too: the document must not refuse what the service takes.
 *
 * <p>It also records which operations answered which statuses, so that a test can check that it called every
 * documented operation, with valid and with invalid input.
 */
public final class OpenApiContract {

    private static final String BASE = "https://contract.erpchat.test/openapi.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer: its status, content type and body, and the body as JSON when it is JSON (null otherwise). */
    public record Answer(int status, String contentType, String body, JsonNode json) {}

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Set<Integer>> answered = new TreeMap<>();

    public OpenApiContract(String documentJson) {
        this.document = JSON.readTree(documentJson);
        assertThat(document.path("openapi").asString())
                .as("the OpenAPI version")
                .startsWith("3.1");
        this.registry = SchemaRegistry.withDialect(
                Dialects.getOpenApi31(),
                builder -> builder.schemas(Map.of(BASE, documentJson))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()));
    }

    /** The document the service on {@code port} serves at {@code /v3/api-docs}. */
    public static OpenApiContract servedOn(int port) {
        try {
            HttpResponse<String> docs = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(docs.statusCode()).as("GET /v3/api-docs").isEqualTo(200);
            return new OpenApiContract(docs.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** Every documented operation, as {@code "POST /api/sync"}. */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().propertyNames().forEach(method -> {
                    if (METHODS.contains(method)) {
                        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));
        return operations;
    }

    /** The statuses each operation was seen answering, keyed as {@link #operations()}. */
    public Map<String, Set<Integer>> answered() {
        return answered;
    }

    /**
     * Checks one real answer of the operation {@code method pathTemplate} ({@code pathTemplate} as the document
     * writes it: {@code /api/groups/{id}}) against the document, and records it.
     */
    public void assertAnswer(String method, String pathTemplate, int status, String contentType, String body) {
        String what = method + " " + pathTemplate + " answered " + status + " " + contentType + " " + abbreviated(body);
        JsonNode operation = operation(method, pathTemplate);
        JsonNode response = operation.path("responses").path(Integer.toString(status));
        assertThat(response.isMissingNode())
                .as(
                        "%s: the operation must list the status (it lists %s)",
                        what, operation.path("responses").propertyNames())
                .isFalse();
        answered.computeIfAbsent(method.toUpperCase(Locale.ROOT) + " " + pathTemplate, k -> new TreeSet<>())
                .add(status);
        JsonNode content = response.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertThat(body == null ? "" : body)
                    .as("%s: the response lists no content", what)
                    .isEmpty();
            return;
        }
        assertThat(contentType).as("%s: a content type", what).isNotNull();
        String mediaType = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        assertThat(content.has(mediaType))
                .as("%s: the response lists the content type (it lists %s)", what, content.propertyNames())
                .isTrue();
        String pointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + status + "/content/" + escape(mediaType) + "/schema";
        assertMatches(pointer, body, what);
    }

    /** Checks that a request body the test sends as valid matches the operation's request schema. */
    public void assertValidRequest(String method, String pathTemplate, Object body) {
        String json = JSON.writeValueAsString(body);
        JsonNode operation = operation(method, pathTemplate);
        assertThat(operation.path("requestBody").path("content").has("application/json"))
                .as("%s %s takes a JSON body", method, pathTemplate)
                .isTrue();
        String pointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT)
                + "/requestBody/content/application~1json/schema";
        assertMatches(pointer, json, "the valid request " + method + " " + pathTemplate + " " + json);
    }

    /** What the operation's request schema finds wrong with {@code body} (nothing when it matches). */
    public List<String> requestErrors(String method, String pathTemplate, Object body) {
        operation(method, pathTemplate);
        String pointer = "/paths/" + escape(pathTemplate) + "/" + method.toLowerCase(Locale.ROOT)
                + "/requestBody/content/application~1json/schema";
        assertThat(document.at(pointer).isMissingNode())
                .as("%s %s has a JSON request schema", method, pathTemplate)
                .isFalse();
        return errors(pointer, JSON.writeValueAsString(body));
    }

    /**
     * The members of the objects that success answers (2xx) hold, wherever they are nested, that their schema does not
     * mark required, as {@code "Schema.member"}: a client may rely on a required member only.
     */
    public Set<String> optionalSuccessMembers() {
        Set<String> optional = new TreeSet<>();
        Set<String> visited = new TreeSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    if (!METHODS.contains(operation.getKey())) {
                        return;
                    }
                    operation.getValue().path("responses").properties().forEach(response -> {
                        if (response.getKey().startsWith("2")) {
                            response.getValue()
                                    .path("content")
                                    .forEach(media -> collectOptional(
                                            media.path("schema"),
                                            operation.getKey() + " " + path.getKey() + " " + response.getKey(),
                                            optional,
                                            visited));
                        }
                    });
                }));
        return optional;
    }

    private void collectOptional(JsonNode schema, String name, Set<String> optional, Set<String> visited) {
        if (schema == null || schema.isMissingNode() || !schema.isObject()) {
            return;
        }
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            if (visited.add(ref) && ref.startsWith("#")) {
                collectOptional(
                        document.at(ref.substring(1)), ref.substring(ref.lastIndexOf('/') + 1), optional, visited);
            }
        }
        JsonNode properties = schema.path("properties");
        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(member -> required.add(member.asString()));
        properties.properties().forEach(property -> {
            if (!required.contains(property.getKey())) {
                optional.add(name + "." + property.getKey());
            }
            collectOptional(property.getValue(), name + "." + property.getKey(), optional, visited);
        });
        collectOptional(schema.path("items"), name + "[]", optional, visited);
        collectOptional(schema.path("additionalProperties"), name + "{}", optional, visited);
        for (String composition : List.of("oneOf", "anyOf", "allOf")) {
            schema.path(composition).forEach(alternative -> collectOptional(alternative, name, optional, visited));
        }
    }

    /** The errors of {@code json} against the schema at {@code pointer} in the document (none when it matches). */
    public List<String> errors(String pointer, String json) {
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer));
        List<String> errors = new ArrayList<>();
        for (Error error : schema.validate(JSON.readTree(json))) {
            errors.add(error.toString());
        }
        return errors;
    }

    private void assertMatches(String pointer, String json, String what) {
        assertThat(document.at(pointer).isMissingNode())
                .as("%s: a schema at %s", what, pointer)
                .isFalse();
        assertThat(json).as("%s: a body", what).isNotBlank();
        assertThat(errors(pointer, json))
                .as("%s: the body must match the schema at %s", what, pointer)
                .isEmpty();
    }

    private JsonNode operation(String method, String pathTemplate) {
        JsonNode operation = document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        assertThat(operation.isMissingNode())
                .as("%s %s is a documented operation", method, pathTemplate)
                .isFalse();
        return operation;
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String abbreviated(String body) {
        if (body == null) {
            return "(no body)";
        }
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    /**
     * Calls the service on {@code port} over real HTTP (each header only when given) and, when {@code template} names
     * a documented operation ({@code /api/groups/{id}}), checks the answer against it ({@link #assertAnswer}).
     */
    public Answer call(
            int port,
            String method,
            String template,
            String path,
            String token,
            String contentType,
            String accept,
            String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String answeredType = response.headers().firstValue("Content-Type").orElse(null);
        if (template != null) {
            assertAnswer(method, template, response.statusCode(), answeredType, response.body());
        }
        JsonNode json = null;
        if (response.body() != null && !response.body().isBlank()) {
            try {
                json = JSON.readTree(response.body());
            } catch (RuntimeException notJson) {
                json = null;
            }
        }
        return new Answer(response.statusCode(), answeredType, response.body(), json);
    }

    /** {@link #call} with {@code body} sent as JSON (and no {@code Content-Type} when there is none). */
    public Answer callJson(int port, String method, String template, String path, String token, Object body) {
        return call(port, method, template, path, token, body == null ? null : "application/json", null, json(body));
    }

    /** A request the document must accept (its body matches the request schema) and the service must carry out. */
    public Answer valid(int port, String method, String template, String path, String token, Object body) {
        assertValidRequest(method, template, body);
        Answer answer = callJson(port, method, template, path, token, body);
        assertThat(answer.status())
                .as("%s %s %s: %s", method, path, json(body), answer.body())
                .isLessThan(300);
        return answer;
    }

    /** A request both the document's request schema and the service refuse. */
    public Answer invalid(int port, String method, String template, String path, String token, Object body) {
        assertThat(requestErrors(method, template, body))
                .as("the request schema of %s %s refuses %s", method, template, json(body))
                .isNotEmpty();
        return callJson(port, method, template, path, token, body);
    }

    /** A problem detail with this status. */
    public static void expectProblem(int status, Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    /** {@code body} as JSON text; null for null. */
    public static String json(Object body) {
        return body == null ? null : JSON.writeValueAsString(body);
    }
}
