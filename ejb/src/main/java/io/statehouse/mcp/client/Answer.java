package io.statehouse.mcp.client;

import java.util.Map;
import java.util.Objects;

/**
 * What a person (or a model) answered to a {@link Question}.
 *
 * @param action  accept, decline or cancel
 * @param content for an accepted form elicitation, the content (checked against the schema already)
 * @param reply   for accepted sampling, the model's reply text; {@code model} says who wrote it
 * @param model   the name reported as the sampling result's {@code model}
 * @param stopReason for sampling, why the model stopped ({@code endTurn}, {@code maxTokens}, ...), or null for endTurn
 */
public record Answer(Action action, Map<String, Object> content, String reply, String model, String stopReason) {

    /** The three outcomes the specification knows. */
    public enum Action {
        ACCEPT, DECLINE, CANCEL
    }

    public Answer {
        Objects.requireNonNull(action, "action");
    }

    public static Answer accepted(Map<String, Object> content) {
        return new Answer(Action.ACCEPT, content, null, null, null);
    }

    public static Answer reply(String reply, String model) {
        return new Answer(Action.ACCEPT, null, reply, model, null);
    }

    public static Answer reply(String reply, String model, String stopReason) {
        return new Answer(Action.ACCEPT, null, reply, model, stopReason);
    }

    public static Answer of(Action action) {
        return new Answer(action, null, null, null, null);
    }
}
