package io.statehouse.mcp.server;

import java.util.concurrent.CompletionStage;

/**
 * A run that a tool call started: its process instance, and how it ends.
 *
 * @param runId the process instance, known as soon as the start has committed
 * @param ended completes when the run has ended (or stopped where a person must act); no thread waits for it
 */
public record ToolRun(String runId, CompletionStage<ToolRunResult> ended) {
}
