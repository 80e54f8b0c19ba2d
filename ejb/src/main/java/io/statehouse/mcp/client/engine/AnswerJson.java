package io.statehouse.mcp.client.engine;

import java.io.StringReader;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import io.statehouse.elicitation.JsonAnswers;
import io.statehouse.mcp.client.Answer;

/**
 * An answer to a remote server's question as JSON text, as it is kept on the call's instance for
 * another node; or a refusal ({@code {"refused": reason}}), the request's error for the server.
 */
final class AnswerJson {

    private AnswerJson() {
    }

    static String write(Answer answer) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("action", answer.action().name());
        if (answer.content() != null) {
            json.add("content", Json.createObjectBuilder(answer.content()));
        }
        put(json, "reply", answer.reply());
        put(json, "model", answer.model());
        put(json, "stopReason", answer.stopReason());
        return json.build().toString();
    }

    static String refusal(String reason) {
        return Json.createObjectBuilder().add("refused", reason == null ? "refused" : reason).build().toString();
    }

    /** @return the reason of a kept refusal, or null when {@code text} is an answer */
    static String refusalOf(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject().getString("refused", null);
        }
    }

    static Answer read(String text) {
        JsonObject json;
        try (var reader = Json.createReader(new StringReader(text))) {
            json = reader.readObject();
        }
        Map<String, Object> content = json.containsKey("content") && json.get("content").getValueType() == JsonValue.ValueType.OBJECT
                ? JsonAnswers.parseObject(json.getJsonObject("content").toString(), "the kept answer's content") : null;
        return new Answer(Answer.Action.valueOf(json.getString("action")), content, json.getString("reply", null),
                json.getString("model", null), json.getString("stopReason", null));
    }

    private static void put(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
