package io.statehouse.mcp.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployed processes as tools: what Statehouse's MCP server offers and runs. The engine side
 * implements it; the MCP side knows only this.
 */
public interface ToolRuns {

    /** The tools, from the latest version of every process marked as a tool. */
    List<ToolDefinition> tools();

    /**
     * Starts the tool's process for the user with the arguments as variables.
     *
     * @param caller  the calling client, or null: while the call is open, the run's user tasks marked
     *                for the caller ask it, and its progress is reported to it
     * @param callKey the call's own key (an idempotency key, or a stateful session's request id), or
     *                null: a call that repeats an earlier call's key gets the run that call started,
     *                taken up for this caller, never a second one
     * @throws IllegalArgumentException  for an unknown tool or arguments the process refuses
     * @throws CallKeyConflictException when the key is an earlier call's with another tool or other arguments
     */
    ToolRun start(String tool, Map<String, Object> arguments, String userId, CallerChannel caller, String callKey);

    /** Cancels a run that a tool call started (the caller cancelled the call). */
    void cancel(String runId, String reason);

    /**
     * Takes up a run again for its caller's next request (a multi round-trip retry): while that
     * request is open, the run's new questions and progress go to the caller as at the start.
     *
     * @throws IllegalArgumentException for a run that no tool call started
     */
    ToolRun resume(String runId, CallerChannel caller);

    /** The caller's request is over (it was sent a round of questions, or it went away): the run no longer tells it anything. */
    void release(String runId, CallerChannel caller);

    /** The run's questions for its caller that are open now, oldest first; none for a run that has ended. */
    List<OpenQuestion> openQuestions(String runId);

    /**
     * Answers a question as the run's caller: its form takes the content as the run's caller user.
     *
     * @throws IllegalArgumentException when the form refuses the answer
     * @throws IllegalStateException    when the task is no longer open (someone answered it first)
     */
    void answer(String taskId, Map<String, Object> content);

    /**
     * The run's open external tasks that ask its caller (sampling and roots tasks), by element id,
     * each with its kind: {@code sampling} or {@code roots}. Their worker asks the caller shortly.
     */
    Map<String, String> callerTasks(String runId);

    /**
     * Makes the run a task that its caller follows (the MCP tasks extension): a new unguessable task
     * id is kept on the run, committed when this returns, so that any node finds it at once.
     *
     * @return the task id
     */
    String createTask(String runId);

    /**
     * The task of that id as it is now, if it is one of this user's; empty for an unknown task, a
     * task of another user, or one whose run's history is gone.
     */
    Optional<ToolTask> task(String taskId, String userId);

    /** The caller of a task declined a question: it stays in the Tasklist, and the task asks it no more. */
    void decline(String runId, String questionKey);

    /** The round of questions the run's caller was last sent (multi round-trip requests), if one is open. */
    Optional<String> round(String runId);

    /** Opens a new round: a retry must name it. */
    void round(String runId, String round);

    /**
     * Takes the open round, once: true when it was the run's open round and is closed now; false
     * when another request took it first (or the run has another round, or none).
     */
    boolean redeem(String runId, String round);
}
