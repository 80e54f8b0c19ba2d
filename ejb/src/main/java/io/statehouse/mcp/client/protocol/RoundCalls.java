package io.statehouse.mcp.client.protocol;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
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
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Tool calls on a server that answers in multi round-trip requests (MCP 2026-07-28): each
 * {@code input_required} round's requests become questions for the listener, and once all are
 * answered the call is retried with the answers and the round's {@code requestState}, for at most
 * {@value #MAX_ROUNDS} rounds. A server that offers the tasks extension may answer with a task
 * instead, which is followed ({@code tasks/get}, {@code tasks/update}) until it ends. No session
 * and no open connection while people think.
 */
final class RoundCalls {

    /** A server that asks more rounds than this in one call is stopped (the TypeScript SDK stops at 10 as well). */
    static final int MAX_ROUNDS = 10;
    /** A task is polled at its server's {@code pollIntervalMs}, within these bounds; without one, every second. */
    static final Duration MIN_POLL = Duration.ofMillis(100);
    static final Duration MAX_POLL = Duration.ofMinutes(1);
    static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

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
                    if (result != null && "task".equals(result.get("resultType")) && result.get("taskId") instanceof String taskId) {
                        listener.taskCreated(taskId);
                        return new FollowedTask(call, listener, taskId).follow(pollInterval(result), Map.of());
                    }
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

    /**
     * A call that became a task on its server (the tasks extension) and that a restart interrupted:
     * its answers still to send are sent, and the task is followed again from where it stands.
     */
    CompletionStage<ToolOutcome> resumeTask(ToolCall call, ToolCallListener listener, String taskId,
            Map<String, CompletionStage<Map<String, Object>>> answers) {
        AtomicBoolean answered = new AtomicBoolean(true);
        return classified(call, answered, new FollowedTask(call, listener, taskId).resume(answers));
    }

    private static Duration pollInterval(Map<String, ?> task) {
        long ms = task.get("pollIntervalMs") instanceof Number n ? n.longValue() : DEFAULT_POLL.toMillis();
        return Duration.ofMillis(Math.max(MIN_POLL.toMillis(), Math.min(MAX_POLL.toMillis(), ms)));
    }

    /**
     * A remote task, polled at the server's {@code pollIntervalMs} (no thread waits in between): its
     * {@code input_required} requests become the same questions as a round's, each asked once, and
     * their answers go back with {@code tasks/update}; {@code completed} is the call's result. When
     * the call is abandoned (its run was cancelled), the task is cancelled on the server.
     */
    private final class FollowedTask {
        private final ToolCall call;
        private final ToolCallListener listener;
        private final String taskId;
        /** The keys asked already: a task may show a request again until the server has taken its answer. */
        private final Set<String> asked = ConcurrentHashMap.newKeySet();

        FollowedTask(ToolCall call, ToolCallListener listener, String taskId) {
            this.call = call;
            this.listener = listener;
            this.taskId = taskId;
        }

        /** After a restart: the task as it stands; the answers it still asks for are sent, and the questions it asks anew are asked. */
        CompletionStage<ToolOutcome> resume(Map<String, CompletionStage<Map<String, Object>>> answers) {
            return request("tasks/get", Map.of()).thenComposeAsync(task -> {
                Map<String, Object> requests = "input_required".equals(task.get("status")) && task.get("inputRequests") instanceof Map<?, ?> r
                        ? json.convertValue(r, ToolOutcomes.JSON_OBJECT) : Map.of();
                Map<String, CompletionStage<Map<String, Object>>> still = new LinkedHashMap<>();
                answers.forEach((key, answer) -> {
                    if (requests.containsKey(key)) {
                        still.put(key, answer);
                    }
                });
                return still.isEmpty() ? next(task) : follow(Duration.ZERO, still);
            }, callbacks::schedule);
        }

        /** Sends the answers (once all are there), then polls after {@code delay}. */
        CompletionStage<ToolOutcome> follow(Duration delay, Map<String, CompletionStage<Map<String, Object>>> answers) {
            if (listener.abandoned().toCompletableFuture().isDone()) {
                return cancelled();
            }
            if (answers.isEmpty()) {
                return poll(delay);
            }
            asked.addAll(answers.keySet());
            CompletableFuture<?> sent = all(answers).thenCompose(responses -> request("tasks/update", Map.of("inputResponses", responses)))
                    .toCompletableFuture();
            // A call abandoned while its questions wait (their tasks went with the run) cancels its task at once.
            return CompletableFuture.anyOf(sent, listener.abandoned().toCompletableFuture())
                    .thenCompose(done -> listener.abandoned().toCompletableFuture().isDone() ? cancelled() : poll(delay));
        }

        /** {@code tasks/get} after {@code delay}; the call's abandonment is seen at the next {@link #follow}, within one interval. */
        private CompletionStage<ToolOutcome> poll(Duration delay) {
            return later(delay).thenCompose(waited -> request("tasks/get", Map.of())).thenComposeAsync(this::next, callbacks::schedule);
        }

        private CompletionStage<ToolOutcome> next(Map<String, Object> task) {
            String status = String.valueOf(task.get("status"));
            Duration poll = pollInterval(task);
            switch (status) {
                case "completed" -> {
                    Map<String, Object> result = task.get("result") instanceof Map<?, ?> r ? json.convertValue(r, ToolOutcomes.JSON_OBJECT) : Map.of();
                    return CompletableFuture.completedFuture(ToolOutcomes.outcome(ToolOutcomes.result(result)));
                }
                case "failed" -> {
                    Object error = task.get("error") instanceof Map<?, ?> e ? e.get("message") : task.get("statusMessage");
                    throw new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, "MCP server '" + call.server().name() + "', tool '"
                            + call.tool() + "': its task " + taskId + " failed: " + error, null);
                }
                case "cancelled" -> throw new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, "MCP server '" + call.server().name()
                        + "', tool '" + call.tool() + "': its task " + taskId + " was cancelled on the server", null);
                case "input_required" -> {
                    Map<String, Object> requests = task.get("inputRequests") instanceof Map<?, ?> r ? json.convertValue(r, ToolOutcomes.JSON_OBJECT) : Map.of();
                    Map<String, Object> fresh = new LinkedHashMap<>(requests);
                    fresh.keySet().removeAll(asked);
                    if (fresh.isEmpty()) {
                        return follow(poll, Map.of());
                    }
                    listener.roundAsked(null, ToolOutcomes.write(fresh));
                    Map<String, CompletionStage<Map<String, Object>>> answers = new LinkedHashMap<>();
                    fresh.forEach((key, request) -> answers.put(key, ask(listener, key, json.convertValue(request, ToolOutcomes.JSON_OBJECT))));
                    // Answered questions go back at once; the task is polled again right after.
                    return follow(Duration.ZERO, answers);
                }
                default -> {
                    return follow(poll, Map.of());
                }
            }
        }

        private CompletionStage<Map<String, Object>> request(String method, Map<String, Object> params) {
            return rounds.task(call.server().url(), call.server().authorization(), method, taskId, params).thenApply(response -> {
                if (response.get("error") instanceof Map<?, ?> error) {
                    throw McpError.builder(error.get("code") instanceof Number code ? code.intValue() : McpSchema.ErrorCodes.INTERNAL_ERROR)
                            .message(method + " of task " + taskId + ": " + error.get("message")).build();
                }
                return response.get("result") instanceof Map<?, ?> result ? json.convertValue(result, ToolOutcomes.JSON_OBJECT) : Map.of();
            });
        }

        /**
         * Completes after {@code delay} (at most {@link #MAX_POLL}). Nothing waits on the call's
         * abandonment here: a task polled for days would pile up a listener per poll.
         */
        private CompletionStage<Void> later(Duration delay) {
            CompletableFuture<Void> waited = new CompletableFuture<>();
            if (delay.isZero()) {
                waited.complete(null);
            } else {
                Mono.delay(delay).subscribe(tick -> waited.complete(null));
            }
            return waited;
        }

        private CompletionStage<ToolOutcome> cancelled() {
            return request("tasks/cancel", Map.of()).handle((done, failure) -> {
                throw new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, "The call of tool '" + call.tool() + "' on MCP server '"
                        + call.server().name() + "' was abandoned; its task " + taskId + " was cancelled on the server"
                        + (failure == null ? "" : " (the server did not take the cancellation: " + CallFailures.firstLine(failure.getMessage()) + ")"), null);
            });
        }
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
