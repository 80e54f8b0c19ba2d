package io.statehouse.mcp.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The client that called a process-backed tool, as the run sees it while the call is open: a user
 * task marked for the caller asks it through here.
 */
public interface CallerChannel {

    /** Whether the caller declared that it answers questions (form-mode elicitation). */
    boolean canElicit();

    /**
     * Asks the caller; the stage completes with its answer, or exceptionally when it cannot answer.
     * Cancelling the stage's future withdraws the question (the caller is told).
     *
     * @param requestedSchema a flat JSON schema of the answer
     */
    CompletionStage<CallerAnswer> elicit(String message, Map<String, Object> requestedSchema);

    /** Asks the caller about a task; a caller that keeps track of the task itself (multi round-trip requests) overrides it. */
    default CompletionStage<CallerAnswer> elicit(OpenQuestion question) {
        return elicit(question.message(), question.requestedSchema());
    }

    /** Whether the caller declared that its model answers sampling requests. */
    boolean canSample();

    /** Asks the caller's model ({@code sampling/createMessage}); the stage completes with its reply. */
    CompletionStage<SampledReply> sample(String systemPrompt, String prompt, int maxTokens);

    /**
     * Asks the caller's model for a sampling task of the run; a caller that keeps track of the task
     * itself (multi round-trip requests) overrides it.
     *
     * @param runId the run the task belongs to
     * @param key   the task's element id
     */
    default CompletionStage<SampledReply> sample(String runId, String key, String systemPrompt, String prompt, int maxTokens) {
        return sample(systemPrompt, prompt, maxTokens);
    }

    /** Whether the caller declared that it lists its roots. */
    default boolean canListRoots() {
        return false;
    }

    /**
     * Asks the caller for its roots ({@code roots/list}) for a roots task of the run.
     *
     * @param runId the run the task belongs to
     * @param key   the task's element id
     * @return the roots, each with {@code uri} and, where the caller names it, {@code name}
     */
    default CompletionStage<List<Map<String, Object>>> roots(String runId, String key) {
        return CompletableFuture.completedFuture(List.of());
    }

    /** The caller's model's reply, and the model's name as the caller reports it. */
    record SampledReply(String text, String model) {
    }

    /**
     * Reports the run's progress to the caller ({@code notifications/progress}), when it asked for
     * progress with a token; otherwise nothing.
     */
    void progress(double progress, Double total, String message);

    /** Tells the caller what the run did, as a debug-level log message ({@code notifications/message}), if its log level lets it through. */
    void log(String message);

    /**
     * The caller's answer.
     *
     * @param accepted false for decline and cancel
     * @param content  the accepted content, JSON values by field name
     */
    record CallerAnswer(boolean accepted, Map<String, Object> content) {
    }
}
