package io.statehouse.mcp.server;

import java.util.Map;

/**
 * How a run that a tool call started ended.
 *
 * @param error      it did not end normally (an incident, a BPMN error nothing caught, a cancellation)
 * @param message    what a person reads: a summary of the result, or what went wrong and what to do
 * @param variables  the result: the tool's output variables as JSON values
 * @param content    the call's content as the run shaped it: a JSON array of MCP content blocks (text,
 *                   image, audio, resource) as text; null when the run set none
 * @param runId      the process instance, for the caller's reference
 */
public record ToolRunResult(boolean error, String message, Map<String, Object> variables, Object content, String runId) {
}
