package io.statehouse.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * {@code ${json(variable)}} in BPMN expressions: a variable written as a JSON value, so that an
 * MCP tool's arguments can be a JSON template ({@code {"note": ${json(note)}}}) that stays valid
 * JSON whatever the person typed (quotes, newlines, backslashes).
 */
public final class JsonTemplateFunctions extends AbstractProcessEnginePlugin {

    /** The function's name in expressions. */
    public static final String JSON = "json";

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        try {
            configuration.getExpressionManager().addFunction(JSON, JsonTemplateFunctions.class.getMethod(JSON, Object.class));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value as JSON text: strings quoted and escaped, numbers and booleans as they are, maps and lists as objects and arrays. */
    public static String json(Object value) {
        return toJson(value).toString();
    }

    private static JsonValue toJson(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        } else if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Json.createValue(((Number) value).longValue());
        } else if (value instanceof BigInteger i) {
            return Json.createValue(i);
        } else if (value instanceof BigDecimal d) {
            return Json.createValue(d);
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? Json.createValue(d) : Json.createValue(n.toString());
        } else if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = Json.createObjectBuilder();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object.build();
        } else if (value instanceof Collection<?> list) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            list.forEach(v -> array.add(toJson(v)));
            return array.build();
        }
        return Json.createValue(value.toString());
    }
}
