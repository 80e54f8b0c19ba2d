package io.statehouse.mcp.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the caller of a tool does with what the server asks while the call runs. The stages
 * complete when a person (or a model) has answered; no thread waits for them.
 */
public interface ToolCallListener {

    /** A form-mode {@code elicitation/create}. */
    CompletionStage<Answer> elicit(Question.Form question);

    /** A URL-mode {@code elicitation/create}. */
    CompletionStage<Answer> elicitUrl(Question.Url question);

    /** {@code notifications/elicitation/complete}: the server says a URL-mode elicitation is done. */
    void urlElicitationCompleted(String elicitationId);

    /** A {@code sampling/createMessage}. */
    CompletionStage<Answer> sample(Question.Sampling question);

    /** A {@code notifications/progress} carrying this call's token; called on the SDK's thread, so it must only queue. */
    void progress(double progress, Double total, String message);

    /** A {@code notifications/message}. */
    void log(String level, String logger, String data);

    /**
     * MCP 2026-07-28: the server answered with a round of questions; called before any of them is
     * asked, so that the call can keep the round (its state and questions) where a restart finds it.
     */
    default void roundAsked(String requestState, String inputRequestsJson) {
    }

    /**
     * The tasks extension: the server made the call a task, followed from now on; called before it is
     * polled, so that the call can keep the task id where a restart finds it.
     */
    default void taskCreated(String taskId) {
    }

    /**
     * Completes when nobody wants the call's outcome any more (its run was cancelled): a call that
     * follows a task cancels it on the server then. Never, by default.
     */
    default CompletionStage<Void> abandoned() {
        return new CompletableFuture<>();
    }

    /** MCP 2026-07-28: asks one question of a round; {@code key} is its name in the round. */
    default CompletionStage<Answer> ask(String key, String method, Question question) {
        if (question instanceof Question.Form form) {
            return elicit(form);
        }
        if (question instanceof Question.Url url) {
            return elicitUrl(url);
        }
        return sample((Question.Sampling) question);
    }
}
