package io.statehouse.run;

import java.util.Map;

/**
 * How a run that a tool call started ended.
 *
 * @param error      it did not end normally (an incident, a BPMN error nothing caught, a cancellation)
 * @param message    what a person reads: a summary of the result, or what went wrong and what to do
 * @param variables  the result: the tool's output variables as JSON values
 * @param runId      the process instance, for the caller's reference
 */
public record ToolRunResult(boolean error, String message, Map<String, Object> variables, String runId) {

    /**
     * The run variable that shapes the call's content: a JSON array of MCP content blocks (text,
     * image, audio, resource). Always part of the result, whatever the tool's output list says.
     */
    public static final String CONTENT_VARIABLE = "mcpContent";
}
