package io.statehouse.mcp.server.protocol;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.mcp.server.CallerChannel.CallerAnswer;
import io.statehouse.mcp.server.OpenQuestion;
import io.statehouse.mcp.server.ToolRuns;
import io.statehouse.mcp.server.ToolTask;
import io.statehouse.mcp.server.protocol.StatelessServer.Now;
import io.statehouse.mcp.server.protocol.rounds.InvalidInputResponseException;
import io.statehouse.mcp.server.protocol.rounds.ToolCallRounds;

/**
 * A tool call as an MCP task (the tasks extension of 2026-07-28, {@value #EXTENSION}): the run is
 * the task. Its caller polls it with {@code tasks/get} (working, its questions as
 * {@code inputRequests}, its result, why it failed, or cancelled), answers with {@code tasks/update}
 * as in a round (checked against each question's schema, given as the caller's user), and ends it
 * with {@code tasks/cancel}. The task is kept on the run in the database, so that any node serves
 * it, after a restart too; only the user whose call created it sees it, and to anyone else it does
 * not exist.
 */
final class ToolCallTasks {

    /** The extension's name in capabilities. */
    static final String EXTENSION = "io.modelcontextprotocol/tasks";

    private static final Logger LOG = Logger.getLogger(ToolCallTasks.class.getName());

    private final ToolRuns runs;
    private final McpJsonMapper json;
    private final Duration pollInterval;
    private final Optional<Duration> ttl;
    private final Clock clock;

    /**
     * @param pollInterval how often a caller is asked to poll
     * @param ttl          how long after its creation a task is served; empty: as long as its run's history is kept
     */
    ToolCallTasks(ToolRuns runs, McpJsonMapper json, Duration pollInterval, Optional<Duration> ttl, Clock clock) {
        this.runs = Objects.requireNonNull(runs);
        this.json = Objects.requireNonNull(json);
        this.pollInterval = Objects.requireNonNull(pollInterval);
        this.ttl = Objects.requireNonNull(ttl);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Whether a request's client capabilities declare the tasks extension. */
    static boolean declared(Map<?, ?> capabilities) {
        return capabilities != null && capabilities.get("extensions") instanceof Map<?, ?> extensions && extensions.get(EXTENSION) instanceof Map;
    }

    /** The refusal (HTTP 400, -32021) of a request that needs the extension and does not declare it. */
    static Now undeclared(Object id, String what) {
        return new Now(400, StatelessServer.error(id, StatelessServer.MISSING_CAPABILITY, what + " needs the client capability extensions." + EXTENSION
                + ", which this request does not declare", Map.of("requiredCapabilities", required())));
    }

    /** The {@code requiredCapabilities} of a -32021 error for a request that must declare the extension. */
    static Map<String, Object> required() {
        return Map.of("extensions", Map.of(EXTENSION, Map.of()));
    }

    /** The result of a {@code tools/call} that became this task: the task, flat, and nothing of its questions or result. */
    Map<String, Object> created(ToolTask task) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "task");
        result.putAll(fields(task));
        return result;
    }

    /** One of {@code tasks/get}, {@code tasks/update}, {@code tasks/cancel}, by a caller that declared the extension. */
    Now handle(McpSchema.JSONRPCRequest call, Map<String, Object> params, String user) {
        if (!(params.get("taskId") instanceof String taskId) || taskId.isBlank()) {
            return new Now(400, StatelessServer.error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, call.method() + " needs params.taskId", null));
        }
        Optional<ToolTask> found = runs.task(taskId, user);
        if (found.isEmpty()) {
            return notFound(call, taskId, "Task not found");
        }
        ToolTask task = found.get();
        if (expired(task)) {
            return notFound(call, taskId, "Task has expired");
        }
        return switch (call.method()) {
            case "tasks/get" -> {
                Map<String, Object> result = complete();
                result.putAll(detailed(task));
                yield new Now(200, StatelessServer.success(call.id(), result));
            }
            case "tasks/update" -> update(call, params, task);
            case "tasks/cancel" -> {
                if (!task.status().terminal()) {
                    runs.cancel(task.runId(), "cancelled by its caller (tasks/cancel of task " + task.taskId() + ")");
                }
                yield new Now(200, StatelessServer.success(call.id(), complete()));
            }
            default -> new Now(404, StatelessServer.error(call.id(), McpSchema.ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + call.method(), null));
        };
    }

    /**
     * Answers the task's open questions that the update names, each checked against its schema first,
     * so that nothing is taken from an update with an answer that does not fit. Keys that are not open
     * questions (never asked, answered already, someone in the Tasklist was first) are ignored.
     */
    private Now update(McpSchema.JSONRPCRequest call, Map<String, Object> params, ToolTask task) {
        if (!(params.get("inputResponses") instanceof Map<?, ?> responses)) {
            return new Now(400, StatelessServer.error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "tasks/update needs params.inputResponses, an object", null));
        }
        Map<OpenQuestion, CallerAnswer> answers = new LinkedHashMap<>();
        for (OpenQuestion question : task.questions()) {
            Object response = responses.get(question.key());
            if (response == null) {
                continue;
            }
            try {
                answers.put(question, ToolCallRounds.answer(question.key(), question, response));
            } catch (InvalidInputResponseException e) {
                return new Now(200, StatelessServer.error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), Map.of("reason", "invalid_input_response")));
            }
        }
        for (Map.Entry<OpenQuestion, CallerAnswer> answer : answers.entrySet()) {
            OpenQuestion question = answer.getKey();
            if (!answer.getValue().accepted()) {
                runs.decline(task.runId(), question.key());
                continue;
            }
            try {
                runs.answer(question.taskId(), answer.getValue().content());
            } catch (IllegalStateException e) {
                LOG.fine(() -> "Task " + question.taskId() + " was answered in the Tasklist first: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return new Now(200, StatelessServer.error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS,
                        "inputResponses." + question.key() + ": " + e.getMessage(), Map.of("reason", "invalid_input_response")));
            }
        }
        return new Now(200, StatelessServer.success(call.id(), complete()));
    }

    /** The task as {@code tasks/get} and {@code notifications/tasks} show it: with its questions, its result, or its error. */
    Map<String, Object> detailed(ToolTask task) {
        Map<String, Object> detailed = fields(task);
        switch (task.status()) {
            case INPUT_REQUIRED -> detailed.put("inputRequests", inputRequests(task.questions()));
            case COMPLETED -> {
                Map<String, Object> toolResult = json.convertValue(ToolResults.result(json, task.result()), new TypeRef<Map<String, Object>>() { });
                toolResult.put("resultType", "complete");
                detailed.put("result", toolResult);
            }
            case FAILED -> detailed.put("error", Map.of("code", McpSchema.ErrorCodes.INTERNAL_ERROR, "message", task.failure()));
            default -> { }
        }
        return detailed;
    }

    /** The task's own user's view of it now, if it is served (known, theirs, not expired). */
    Optional<ToolTask> find(String taskId, String user) {
        return runs.task(taskId, user).filter(task -> !expired(task));
    }

    private boolean expired(ToolTask task) {
        return ttl.isPresent() && task.createdAt().plus(ttl.get()).isBefore(clock.instant());
    }

    /** What tells two views of a task apart for its caller: its status, when it last changed, and the questions it asks. */
    static String fingerprint(ToolTask task) {
        return task.status() + "@" + task.updatedAt() + task.questions().stream().map(OpenQuestion::key).toList();
    }

    Duration pollInterval() {
        return pollInterval;
    }

    private Map<String, Object> fields(ToolTask task) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("taskId", task.taskId());
        fields.put("status", task.status().wire());
        switch (task.status()) {
            case WORKING -> fields.put("statusMessage", "The run is working");
            case INPUT_REQUIRED -> fields.put("statusMessage", "The run waits for answers; they are in the Tasklist too");
            case FAILED -> fields.put("statusMessage", task.failure());
            case CANCELLED -> fields.put("statusMessage", "The run was cancelled");
            case COMPLETED -> fields.put("statusMessage", "The run has ended");
        }
        fields.put("createdAt", task.createdAt().toString());
        fields.put("lastUpdatedAt", task.updatedAt().toString());
        fields.put("ttlMs", ttl.map(Duration::toMillis).orElse(null));
        fields.put("pollIntervalMs", Math.max(1, pollInterval.toMillis()));
        return fields;
    }

    private static Map<String, Object> inputRequests(List<OpenQuestion> questions) {
        Map<String, Object> requests = new LinkedHashMap<>();
        for (OpenQuestion question : questions) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("mode", "form");
            request.put("message", question.message());
            request.put("requestedSchema", question.requestedSchema());
            requests.put(question.key(), Map.of("method", "elicitation/create", "params", request));
        }
        return requests;
    }

    private static Now notFound(McpSchema.JSONRPCRequest call, String taskId, String why) {
        return new Now(200, StatelessServer.error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "Failed to retrieve task: " + why,
                Map.of("taskId", taskId)));
    }

    private static Map<String, Object> complete() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        return result;
    }
}
