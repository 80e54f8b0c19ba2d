package io.statehouse.mcp.server.protocol.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.mcp.server.OpenQuestion;
import io.statehouse.mcp.server.ToolDefinition;
import io.statehouse.mcp.server.ToolRun;
import io.statehouse.mcp.server.ToolRunResult;
import io.statehouse.mcp.server.ToolRuns;

/**
 * The rounds of a process-backed tool call on MCP 2026-07-28, against runs kept in memory: a run
 * here is a list of questions asked one after the other, and ends when the last is answered.
 */
class ToolCallRoundsTest {

    private static final Map<String, Object> NAME = Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string")),
            "required", List.of("name"));
    private static final Map<String, Object> COLOR = Map.of("type", "object", "properties", Map.of("color", Map.of("type", "string")),
            "required", List.of("color"));

    private final Runs runs = new Runs();
    private final ToolCallRounds rounds = new ToolCallRounds(runs,
            new RequestStateCodec("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(5), Clock.systemUTC()));

    @Test
    void eachQuestionIsARoundAndTheLastAnswerEndsTheCall() throws Exception {
        ToolCallRounds.InputRequired first = inputRequired(call(null, null));
        assertThat(first.inputRequests()).containsOnlyKeys("step1");

        ToolCallRounds.InputRequired second = inputRequired(call(Map.of("step1", accept(Map.of("name", "Ayu"))), first.requestState()));
        assertThat(second.inputRequests()).containsOnlyKeys("step2");
        assertThat(second.requestState()).isNotEqualTo(first.requestState());

        ToolCallRounds.Outcome done = call(Map.of("step2", accept(Map.of("color", "blue"))), second.requestState());
        assertThat(done).isInstanceOfSatisfying(ToolCallRounds.Complete.class,
                complete -> assertThat(complete.result().variables()).containsEntry("name", "Ayu").containsEntry("color", "blue"));
    }

    @Test
    void anAnswerThatDoesNotFitIsAnErrorAndTheSameStateMayBeRetried() throws Exception {
        ToolCallRounds.InputRequired first = inputRequired(call(null, null));

        assertThatThrownBy(() -> call(Map.of("step1", accept(Map.of("name", 42))), first.requestState()))
                .isInstanceOf(InvalidInputResponseException.class).hasMessageContaining("step1");
        assertThatThrownBy(() -> call(Map.of("step1", "yes"), first.requestState()))
                .isInstanceOf(InvalidInputResponseException.class).hasMessageContaining("not an elicitation result");
        assertThat(runs.answered).isEmpty();

        assertThat(inputRequired(call(Map.of("step1", accept(Map.of("name", "Ayu"))), first.requestState())).inputRequests()).containsOnlyKeys("step2");
    }

    @Test
    void aStateIsTakenOnce() throws Exception {
        ToolCallRounds.InputRequired first = inputRequired(call(null, null));
        call(Map.of("step1", accept(Map.of("name", "Ayu"))), first.requestState());

        assertThatThrownBy(() -> call(Map.of("step1", accept(Map.of("name", "Mallory"))), first.requestState()))
                .isInstanceOfSatisfying(InvalidRequestStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidRequestStateException.Reason.ALREADY_USED));
        assertThat(runs.answered).containsExactly("Ayu");
    }

    @Test
    void answersSentAheadAreUsedWhenTheirQuestionComesAndUnknownKeysAreIgnored() throws Exception {
        ToolCallRounds.Outcome done = call(Map.of("step1", accept(Map.of("name", "Ayu")), "step2", accept(Map.of("color", "red")),
                "unexpected", Map.of("anything", true)), null);

        assertThat(done).isInstanceOf(ToolCallRounds.Complete.class);
        assertThat(runs.answered).containsExactly("Ayu", "red");
    }

    @Test
    void aDeclinedQuestionIsLeftToTheTasklistAndTheCallWaitsForTheRunsNextQuestion() throws Exception {
        ToolCallRounds.InputRequired first = inputRequired(call(null, null));

        CompletionStage<ToolCallRounds.Outcome> waiting = rounds.call(request(Map.of("step1", Map.of("action", "decline")), first.requestState()),
                progress -> { }, new CompletableFuture<>());

        assertThat(waiting.toCompletableFuture()).isNotDone();
        runs.answerInTasklist(Map.of("name", "from the Tasklist"));
        assertThat(inputRequired(waiting.toCompletableFuture().get(5, TimeUnit.SECONDS)).inputRequests())
                .as("the run's next question goes to the caller again").containsOnlyKeys("step2");
    }

    @Test
    void aCallerThatCannotAnswerIsNotAsked() throws Exception {
        CompletionStage<ToolCallRounds.Outcome> waiting = rounds.call(new ToolCallRounds.Request("two_steps", Map.of(), null, null, "demo", false, false, false, false, null),
                progress -> { }, new CompletableFuture<>());

        assertThat(waiting.toCompletableFuture()).isNotDone();
    }

    private ToolCallRounds.Outcome call(Map<String, Object> responses, String state) throws Exception {
        return rounds.call(request(responses, state), progress -> { }, new CompletableFuture<>()).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static ToolCallRounds.Request request(Map<String, Object> responses, String state) {
        return new ToolCallRounds.Request("two_steps", Map.of(), responses, state, "demo", true, false, false, false, null);
    }

    private static ToolCallRounds.InputRequired inputRequired(ToolCallRounds.Outcome outcome) {
        assertThat(outcome).isInstanceOf(ToolCallRounds.InputRequired.class);
        return (ToolCallRounds.InputRequired) outcome;
    }

    private static Map<String, Object> accept(Map<String, Object> content) {
        return Map.of("action", "accept", "content", content);
    }

    /** One run at a time: two questions in a row, then its end. */
    private static final class Runs implements ToolRuns {
        final List<String> answered = new ArrayList<>();
        private final Map<String, Object> variables = new LinkedHashMap<>();
        private final Map<String, String> rounds = new HashMap<>();
        private final CompletableFuture<ToolRunResult> ended = new CompletableFuture<>();
        private CallerChannel caller;
        private int step;

        @Override
        public List<ToolDefinition> tools() {
            return List.of();
        }

        @Override
        public ToolRun start(String tool, Map<String, Object> arguments, String userId, CallerChannel caller, String callKey) {
            this.caller = caller;
            return new ToolRun("run-1", ended);
        }

        @Override
        public void cancel(String runId, String reason) {
        }

        @Override
        public ToolRun resume(String runId, CallerChannel caller) {
            this.caller = caller;
            return new ToolRun(runId, ended);
        }

        @Override
        public void release(String runId, CallerChannel caller) {
        }

        @Override
        public List<OpenQuestion> openQuestions(String runId) {
            return switch (step) {
                case 0 -> List.of(new OpenQuestion("task-1", "step1", "Your name?", NAME));
                case 1 -> List.of(new OpenQuestion("task-2", "step2", "Your colour?", COLOR));
                default -> List.of();
            };
        }

        @Override
        public void answer(String taskId, Map<String, Object> content) {
            if (!taskId.equals("task-" + (step + 1))) {
                throw new IllegalStateException("Task " + taskId + " is no longer open");
            }
            content.values().forEach(v -> answered.add(String.valueOf(v)));
            variables.putAll(content);
            step++;
            if (step == 2) {
                ended.complete(new ToolRunResult(false, "done", variables, null, "run-1"));
            } else if (caller != null && caller.canElicit()) {
                OpenQuestion next = openQuestions("run-1").get(0);
                caller.elicit(next);
            }
        }

        void answerInTasklist(Map<String, Object> content) {
            answer("task-" + (step + 1), content);
        }

        @Override
        public Map<String, String> callerTasks(String runId) {
            return Map.of();
        }

        @Override
        public String createTask(String runId) {
            throw new UnsupportedOperationException("tasks are not part of these tests");
        }

        @Override
        public Optional<io.statehouse.mcp.server.ToolTask> task(String taskId, String userId) {
            return Optional.empty();
        }

        @Override
        public void decline(String runId, String questionKey) {
            throw new UnsupportedOperationException("tasks are not part of these tests");
        }

        @Override
        public Optional<String> round(String runId) {
            return Optional.ofNullable(rounds.get(runId));
        }

        @Override
        public void round(String runId, String round) {
            rounds.put(runId, round);
        }

        @Override
        public synchronized boolean redeem(String runId, String round) {
            return rounds.remove(runId, round);
        }
    }
}
