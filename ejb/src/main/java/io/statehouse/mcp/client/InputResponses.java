package io.statehouse.mcp.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An answer as an entry of {@code inputResponses} (MCP 2026-07-28): the bare result of the request
 * it answers, as the server would have had it from the stateful era's request.
 */
public final class InputResponses {

    public static final String ELICIT = "elicitation/create";
    public static final String SAMPLE = "sampling/createMessage";
    public static final String ROOTS = "roots/list";

    private InputResponses() {
    }

    /** The entry for an answer to a request of {@code method}. */
    public static Map<String, Object> of(String method, Answer answer) {
        Map<String, Object> response = new LinkedHashMap<>();
        if (SAMPLE.equals(method)) {
            if (answer.action() != Answer.Action.ACCEPT) {
                // A rejected sampling request has no result of its own in 2026-07-28; an empty reply says nothing was written.
                response.put("role", "assistant");
                response.put("content", Map.of("type", "text", "text", ""));
                response.put("model", "statehouse-declined");
                response.put("stopReason", "declined");
                return response;
            }
            response.put("role", "assistant");
            response.put("content", Map.of("type", "text", "text", answer.reply() == null ? "" : answer.reply()));
            response.put("model", answer.model() == null ? "statehouse" : answer.model());
            response.put("stopReason", answer.stopReason() == null ? "endTurn" : answer.stopReason());
            return response;
        }
        if (ROOTS.equals(method)) {
            return Map.of("roots", List.of());
        }
        response.put("action", answer.action().name().toLowerCase(Locale.ROOT));
        if (answer.action() == Answer.Action.ACCEPT && answer.content() != null) {
            response.put("content", answer.content());
        }
        return response;
    }
}
