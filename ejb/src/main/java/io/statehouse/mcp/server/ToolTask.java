package io.statehouse.mcp.server;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A run that its caller follows as an MCP task (the tasks extension of 2026-07-28), as it is now.
 *
 * @param taskId    the unguessable id the caller polls
 * @param runId     the run (process instance)
 * @param createdAt when the run started
 * @param updatedAt when it last changed as the caller sees it (started, asked, ended)
 * @param status    where it stands
 * @param questions for {@link Status#INPUT_REQUIRED}, the questions for the caller, oldest first
 * @param result    for {@link Status#COMPLETED}, the tool result
 * @param failure   for {@link Status#FAILED}, why the run cannot go on by itself
 */
public record ToolTask(String taskId, String runId, Instant createdAt, Instant updatedAt, Status status, List<OpenQuestion> questions,
        ToolRunResult result, String failure) {

    /** The statuses of the tasks extension. */
    public enum Status {
        WORKING, INPUT_REQUIRED, COMPLETED, FAILED, CANCELLED;

        /** The status as the wire writes it. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean terminal() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }

    public ToolTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        questions = questions == null ? List.of() : List.copyOf(questions);
    }
}
