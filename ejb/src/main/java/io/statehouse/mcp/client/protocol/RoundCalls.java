package io.statehouse.mcp.client.protocol;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.InputResponses;
import io.statehouse.mcp.client.Question;
import io.statehouse.mcp.client.ToolCall;
import io.statehouse.mcp.client.ToolCallFailedException;
import io.statehouse.mcp.client.ToolCallListener;
import io.statehouse.mcp.client.ToolOutcome;
import io.statehouse.mcp.client.protocol.rounds.RoundTripClient;
import reactor.core.scheduler.Scheduler;

/**
 * Tool calls on a server that answers in multi round-trip requests (MCP 2026-07-28): each
 * {@code input_required} round's requests become questions for the listener, and once all are
 * answered the call is retried with the answers and the round's {@code requestState}, for at most
 * {@value #MAX_ROUNDS} rounds. No session and no open connection while people think.
 */
final class RoundCalls {

    /** A server that asks more rounds than this in one call is stopped (the TypeScript SDK stops at 10 as well). */
    static final int MAX_ROUNDS = 10;

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final RoundTripClient rounds;
    private final Scheduler callbacks;

    RoundCalls(RoundTripClient rounds, Scheduler callbacks) {
        this.rounds = rounds;
        this.callbacks = callbacks;
    }

    /** A call from its first request; the stage completes as {@link McpToolCaller#call} says. */
    CompletionStage<ToolOutcome> call(ToolCall call, ToolCallListener listener) {
        AtomicBoolean answered = new AtomicBoolean();
        return classified(call, answered, inRounds(call, listener, null, null, 0, answered));
    }

    /**
     * A call whose round a restart interrupted: once every answer is there, the call is retried with
     * them and the round's state.
     */
    CompletionStage<ToolOutcome> resume(ToolCall call, ToolCallListener listener, String requestState,
            Map<String, CompletionStage<Map<String, Object>>> answers) {
        AtomicBoolean answered = new AtomicBoolean();
        return classified(call, answered, all(answers).thenCompose(responses -> inRounds(call, listener, responses, requestState, 1, answered)));
    }

    /** @param answered whether the server answered a request of the call: a failure after that is not an unreachable server */
    private static CompletionStage<ToolOutcome> classified(ToolCall call, AtomicBoolean answered, CompletionStage<ToolOutcome> outcome) {
        return outcome.exceptionallyCompose(e -> CompletableFuture.failedFuture(CallFailures.failure(call, answered.get(), e)));
    }

    /** One request of a call in rounds, and the next, until the server answers with a result. */
    private CompletionStage<ToolOutcome> inRounds(ToolCall call, ToolCallListener listener, Map<String, Object> inputResponses,
            String requestState, int round, AtomicBoolean answered) {
        return rounds.callTool(call.server().url(), call.server().authorization(), call.tool(), call.arguments(), inputResponses,
                requestState, call.progressToken(), call.timeout(), p -> listener.progress(p.progress(), p.total(), p.message()))
                .thenComposeAsync(response -> {
                    answered.set(true);
                    if (response.get("error") instanceof Map<?, ?> error) {
                        throw McpError.builder(error.get("code") instanceof Number code ? code.intValue() : McpSchema.ErrorCodes.INTERNAL_ERROR)
                                .message(String.valueOf(error.get("message"))).build();
                    }
                    Map<String, Object> result = json.convertValue(response.get("result"), ToolOutcomes.JSON_OBJECT);
                    if (result == null || !"input_required".equals(result.get("resultType"))) {
                        return CompletableFuture.completedFuture(ToolOutcomes.outcome(ToolOutcomes.result(result == null ? Map.of() : result)));
                    }
                    if (round >= MAX_ROUNDS) {
                        throw new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, "MCP server '" + call.server().name()
                                + "', tool '" + call.tool() + "': still asking after " + MAX_ROUNDS + " rounds of questions", null);
                    }
                    Map<String, Object> requests = result.get("inputRequests") == null ? Map.of() : json.convertValue(result.get("inputRequests"), ToolOutcomes.JSON_OBJECT);
                    String state = result.get("requestState") instanceof String s ? s : null;
                    listener.roundAsked(state, ToolOutcomes.write(requests));
                    Map<String, CompletionStage<Map<String, Object>>> answers = new LinkedHashMap<>();
                    requests.forEach((key, request) -> answers.put(key, ask(listener, key, json.convertValue(request, ToolOutcomes.JSON_OBJECT))));
                    return all(answers).thenCompose(responses -> inRounds(call, listener, responses, state, round + 1, answered));
                }, callbacks::schedule);
    }

    /** One question of a round, asked through the listener; its answer as an {@code inputResponses} entry. */
    private CompletionStage<Map<String, Object>> ask(ToolCallListener listener, String key, Map<String, Object> request) {
        String method = String.valueOf(request.get("method"));
        Map<String, Object> params = request.get("params") == null ? Map.of() : json.convertValue(request.get("params"), ToolOutcomes.JSON_OBJECT);
        Question question;
        switch (method) {
            case InputResponses.ELICIT -> question = "url".equals(params.get("mode"))
                    ? new Question.Url(String.valueOf(params.get("message")), String.valueOf(params.get("url")), key)
                    : new Question.Form(String.valueOf(params.get("message")), ToolOutcomes.write(params.get("requestedSchema")));
            case InputResponses.SAMPLE -> question = new Question.Sampling(
                    ToolOutcomes.summary(json.convertValue(params, McpSchema.CreateMessageRequest.class)), ToolOutcomes.write(params));
            case InputResponses.ROOTS -> {
                // A run has no file system roots to offer.
                return CompletableFuture.completedFuture(InputResponses.of(method, Answer.of(Answer.Action.ACCEPT)));
            }
            default -> {
                return CompletableFuture.failedFuture(new IllegalArgumentException("The server asks '" + method + "', which Statehouse cannot answer"));
            }
        }
        return listener.ask(key, method, question).thenApply(answer -> InputResponses.of(method, answer));
    }

    /** Every answer of a round, in the order the server asked them. */
    private static CompletionStage<Map<String, Object>> all(Map<String, CompletionStage<Map<String, Object>>> answers) {
        CompletableFuture<?>[] each = answers.values().stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).thenApply(done -> {
            Map<String, Object> responses = new LinkedHashMap<>();
            answers.forEach((key, answer) -> responses.put(key, answer.toCompletableFuture().join()));
            return responses;
        });
    }

}
