package io.statehouse.elicitation;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

/**
 * Answers that arrive as JSON text (from a task form or the task API), checked against a
 * {@code requestedSchema} that also arrives as JSON text, and handed on as plain Java values.
 */
public final class JsonAnswers {

    private JsonAnswers() {
    }

    /** Reads a {@code requestedSchema} written as JSON text. */
    public static RequestedSchema schema(String requestedSchemaJson) {
        return RequestedSchema.parse(object(requestedSchemaJson, "The requested schema"));
    }

    /**
     * Checks accepted content, written as a JSON object, against the schema; a field left empty takes
     * the schema's default (SEP-1034), as a person who changes nothing in the form accepts it.
     *
     * @return the content as plain Java values (String, Long or BigDecimal, Boolean, List), ready to send
     * @throws AnswerViolatesSchemaException when a field does not fit, or the text is not a JSON object
     */
    public static Map<String, Object> checkedContent(RequestedSchema schema, String contentJson) {
        JsonObject content;
        try {
            content = object(contentJson, "The answer");
        } catch (IllegalArgumentException e) {
            throw new AnswerViolatesSchemaException(List.of(new AnswerViolatesSchemaException.FieldViolation("content", e.getMessage())));
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        content.forEach((name, value) -> typed.put(name, java(value)));
        return objectToJava(schema.validate(schema.withDefaults(typed)));
    }

    /**
     * A JSON object as Java values (String, Long, BigDecimal, Boolean, List, Map).
     *
     * @param what names the text in the error message
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static Map<String, Object> parseObject(String text, String what) {
        return objectToJava(object(text, what));
    }

    private static JsonObject object(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty; a JSON object is expected");
        }
        try (var reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException(what + " must be a JSON object, not " + value.getValueType().name().toLowerCase());
            }
            return value.asJsonObject();
        } catch (JsonParsingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> objectToJava(JsonObject object) {
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach((name, value) -> map.put(name, java(value)));
        return map;
    }

    private static Object java(JsonValue value) {
        switch (value.getValueType()) {
            case STRING:
                return ((JsonString) value).getString();
            case NUMBER:
                JsonNumber number = (JsonNumber) value;
                return number.isIntegral() ? (Object) number.longValueExact() : number.bigDecimalValue();
            case TRUE:
                return Boolean.TRUE;
            case FALSE:
                return Boolean.FALSE;
            case ARRAY:
                List<Object> list = new ArrayList<>();
                for (JsonValue item : (JsonArray) value) {
                    list.add(java(item));
                }
                return list;
            case OBJECT:
                return objectToJava(value.asJsonObject());
            default:
                return null;
        }
    }
}
