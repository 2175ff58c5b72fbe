package org.erpchat.support.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Makes the properties that refer to another schema ({@code $ref}) mean what they say in OpenAPI 3.1, where the
 * keywords next to a {@code $ref} apply too. springdoc leaves there what it read from the Java type:
 *
 * <ul>
 *   <li>a nullable reference ({@code @Schema(nullable = true)} on a record's {@code MessageView}) comes out as
 *       {@code {"type": "null", "$ref": ...}}, which no value matches; it becomes
 *       {@code {"oneOf": [{"$ref": ...}, {"type": "null"}]}};
 *   <li>a property given a schema of its own by reference ({@code @Schema(ref = ...)} on an {@code Instant} that also
 *       takes a number) keeps its Java type's {@code type} and {@code format}, which would refuse what the referenced
 *       schema allows; they are dropped.
 * </ul>
 *
 * Applied to the properties of every schema under {@code components/schemas}.
 */
public class ReferenceSchemas implements OpenApiCustomizer {

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        for (Schema<?> schema : openApi.getComponents().getSchemas().values()) {
            Map<String, Schema> properties = schema.getProperties();
            if (properties == null) {
                continue;
            }
            properties.replaceAll((name, property) -> fixed(property));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Schema fixed(Schema property) {
        if (property.get$ref() == null) {
            return property;
        }
        Set<String> types = property.getTypes();
        boolean nullable = (types != null && types.contains("null")) || "null".equals(property.getType());
        Schema reference = new Schema().$ref(property.get$ref());
        if (!nullable) {
            property.setType(null);
            property.setTypes(null);
            property.setFormat(null);
            return property;
        }
        return new Schema()
                .description(property.getDescription())
                .oneOf(List.of(reference, new Schema().type("null").types(Set.of("null"))));
    }
}
