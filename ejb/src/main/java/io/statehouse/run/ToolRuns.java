package io.statehouse.run;

import java.util.List;
import java.util.Map;

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
     * @param caller the calling client, or null: while the call is open, the run's user tasks marked
     *               for the caller ask it, and its progress is reported to it
     * @throws IllegalArgumentException for an unknown tool or arguments the process refuses
     */
    ToolRun start(String tool, Map<String, Object> arguments, String userId, CallerChannel caller);

    /** Cancels a run that a tool call started (the caller cancelled the call). */
    void cancel(String runId, String reason);
}
