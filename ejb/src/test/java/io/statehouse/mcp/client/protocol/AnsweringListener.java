package io.statehouse.mcp.client.protocol;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.Question;
import io.statehouse.mcp.client.ToolCallListener;

/**
 * The caller of a tool as a run would be, for tests of the client's round loop: it answers each
 * question of a round from a map by the question's key, and records every round it was told of,
 * every question it was asked and every progress report. A key it has no answer for fails the question.
 */
final class AnsweringListener implements ToolCallListener {

    record Round(String requestState, String inputRequestsJson) {
    }

    record Asked(String key, String method, Question question) {
    }

    record Reported(double progress, Double total, String message) {
    }

    final List<Round> rounds = new CopyOnWriteArrayList<>();
    final List<Asked> asked = new CopyOnWriteArrayList<>();
    final List<Reported> progress = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers;

    AnsweringListener(Map<String, Answer> answers) {
        this.answers = Map.copyOf(answers);
    }

    @Override
    public void roundAsked(String requestState, String inputRequestsJson) {
        rounds.add(new Round(requestState, inputRequestsJson));
    }

    @Override
    public CompletionStage<Answer> ask(String key, String method, Question question) {
        asked.add(new Asked(key, method, question));
        Answer answer = answers.get(key);
        return answer == null ? CompletableFuture.failedFuture(new AssertionError("No answer for '" + key + "'"))
                : CompletableFuture.completedFuture(answer);
    }

    @Override
    public void progress(double value, Double total, String message) {
        progress.add(new Reported(value, total, message));
    }

    @Override
    public CompletionStage<Answer> elicit(Question.Form question) {
        throw new AssertionError("A round's question goes through ask(...)");
    }

    @Override
    public CompletionStage<Answer> elicitUrl(Question.Url question) {
        throw new AssertionError("A round's question goes through ask(...)");
    }

    @Override
    public void urlElicitationCompleted(String elicitationId) {
        throw new AssertionError("Not in the 2026-07-28 era");
    }

    @Override
    public CompletionStage<Answer> sample(Question.Sampling question) {
        throw new AssertionError("A round's question goes through ask(...)");
    }

    @Override
    public void log(String level, String logger, String data) {
        throw new AssertionError("Not in the 2026-07-28 era");
    }
}
