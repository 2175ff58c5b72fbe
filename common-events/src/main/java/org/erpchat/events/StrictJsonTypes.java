package org.erpchat.events;

import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
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
 *       boolean. A string of digits stays accepted, as the WebSocket accepts it.
 * </ul>
 */
public final class StrictJsonTypes {

    private StrictJsonTypes() {}

    public static JsonMapper.Builder apply(JsonMapper.Builder builder) {
        return builder.withCoercionConfig(
                        LogicalType.Textual,
                        config -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(
                        LogicalType.Integer,
                        config -> config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
