package org.erpchat.events;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * JSON values must have the type the contract documents. Jackson by default turns {@code 42} or {@code true} into the
 * text {@code "42"} / {@code "true"}, and {@code 9.5} into the id {@code 9}: a bug in whoever wrote the JSON would be
 * taken as if it were meant. With these rules such a value is refused: a REST body answers 400
 * {@code invalid_request}, as the WebSocket refuses such a frame, and an event read from Kafka is invalid and
 * dead-lettered ({@link EventCodec}).
 *
 * <ul>
 *   <li>text fields accept only JSON strings (no number, no boolean);
 *   <li>integer fields (ids, {@code seq}, {@code limit}) accept no fraction (not even {@code 5.0}), exponent or
 *       boolean. A string of digits stays accepted, as the WebSocket accepts it, and only that ({@link DigitStrings}):
 *       Jackson would also read {@code " 5"}, {@code "+5"}, {@code "-5"}, {@code "05"} and the empty string (as null);
 *   <li>an object names each member once: {@code {"content":"a","content":"b"}} is refused, where Jackson would keep
 *       the last value and whatever read the same bytes before us (a proxy, a log, an audit) may have kept the first.
 * </ul>
 */
public final class StrictJsonTypes {

    private StrictJsonTypes() {}

    public static JsonMapper.Builder apply(JsonMapper.Builder builder) {
        SimpleModule digitsOnly = new SimpleModule("StrictJsonTypes");
        digitsOnly.setDeserializerModifier(new ValueDeserializerModifier() {
            @Override
            public ValueDeserializer<?> modifyDeserializer(
                    DeserializationConfig config, BeanDescription.Supplier type, ValueDeserializer<?> deserializer) {
                return deserializer.logicalType() == LogicalType.Integer ? new DigitsOnly(deserializer) : deserializer;
            }
        });
        return builder.addModule(digitsOnly)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Integer,
                        config -> config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /** An integer's deserializer that takes, of the strings, only canonical digits. */
    private static final class DigitsOnly extends DelegatingDeserializer {

        DigitsOnly(ValueDeserializer<?> integers) {
            super(integers);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> integers) {
            return new DigitsOnly(integers);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.hasToken(JsonToken.VALUE_STRING) && !DigitStrings.isCanonical(parser.getString())) {
                return context.handleWeirdStringValue(handledType(), parser.getString(), "not a string of digits");
            }
            return super.deserialize(parser, context);
        }
    }
}
