package org.erpchat.message.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs} (UI at {@code /swagger-ui.html}): every operation needs a bearer JWT. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String BEARER = "bearer-jwt";

    /**
     * The schema of {@code as_of} (sync): an RFC 3339 time with its offset and seconds, or a number of seconds since
     * 1970 (with a fraction if need be), as Jackson reads an {@code Instant}; the request records refer to it.
     */
    private static final String AS_OF = "AsOf";

    @Bean
    OpenAPI messageServiceOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("ERP Chat message-service")
                        .version("v1")
                        .description("Conversations, groups, messages, read markers and sync. Field names are"
                                + " snake_case; errors are RFC 9457 problem details with a `code` member."))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** An id in a path is a positive integer (else 400, {@code IntegerParameters}). */
    @Bean
    OpenApiCustomizer positivePathIds() {
        return openApi -> openApi.getPaths().values().stream()
                .flatMap(path -> path.readOperations().stream())
                .filter(operation -> operation.getParameters() != null)
                .flatMap(operation -> operation.getParameters().stream())
                .filter(parameter -> "path".equals(parameter.getIn())
                        && parameter.getSchema() != null
                        && parameter.getSchema().getTypes() != null
                        && parameter.getSchema().getTypes().contains("integer"))
                .forEach(parameter -> parameter.getSchema().setMinimum(BigDecimal.ONE));
    }

    @Bean
    OpenApiCustomizer asOfSchema() {
        return openApi -> openApi.schema(
                AS_OF,
                new Schema<>()
                        .description("An instant: an RFC 3339 time with its offset and seconds, such as"
                                + " `2026-12-07T10:00:00Z` or `2026-12-07T11:00:00.250+01:00` (a time without an"
                                + " offset is refused), or a number of seconds since 1970, with a fraction if need"
                                + " be (`1765101600.25`); between 2000 and tomorrow, else 400 `invalid_request`.")
                        .oneOf(List.of(
                                typed("string").format("date-time"),
                                typed("number").minimum(BigDecimal.valueOf(946_684_800L)),
                                typed("null"))));
    }

    private static Schema<Object> typed(String type) {
        return new Schema<>().type(type).types(Set.of(type));
    }

    /**
     * The schemas must show the names on the wire. springdoc describes models with its own (Jackson 2) mapper, which
     * does not see the application's snake_case naming strategy, so it gets the same strategy here.
     */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        // openapi31: as springdoc's own resolver is for the 3.1 document it serves (objects say `type: object`, a
        // nullable field's type lists "null").
        return new ModelResolver(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
                .openapi31(true);
    }
}
