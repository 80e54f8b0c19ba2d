package io.statehouse.mcp.server.protocol;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.mcp.server.OpenQuestion;
import io.statehouse.mcp.server.ToolDefinition;
import io.statehouse.mcp.server.ToolRun;
import io.statehouse.mcp.server.ToolRunResult;
import io.statehouse.mcp.server.ToolRuns;

/**
 * The engine side of Statehouse's MCP server kept in memory, for tests of the protocol side: a tool
 * is a list of questions for its caller, asked one after the other, and its run ends when the last
 * is answered, its variables the call's arguments and the answers. A tool without questions ends as
 * it starts. What the protocol side did to the runs (started, answered, released) is recorded.
 */
final class FakeToolRuns implements ToolRuns {

    /**
     * A question a tool's run asks its caller, as a user task marked for the caller would.
     *
     * @param key the task's element id, the question's key in {@code inputRequests}
     */
    record Ask(String key, String message, Map<String, Object> requestedSchema) {
    }

    /** A call that started a run: what the protocol side handed over. */
    record Started(String runId, String tool, Map<String, Object> arguments, String user) {
    }

    /** An answer a task took. */
    record Answered(String taskId, Map<String, Object> content) {
    }

    private record Tool(ToolDefinition definition, List<Ask> asks, Double progressAtStart) {
    }

    /** A run: how far it got through its tool's questions, and who hears it now. */
    private static final class Run {
        final String id;
        final Tool tool;
        final Map<String, Object> variables = new LinkedHashMap<>();
        final CompletableFuture<ToolRunResult> ended = new CompletableFuture<>();
        volatile CallerChannel caller;
        int step;
        String round;

        Run(String id, Tool tool, Map<String, Object> arguments) {
            this.id = id;
            this.tool = tool;
            this.variables.putAll(arguments);
        }

        String taskId() {
            return id + "/task-" + step;
        }
    }

    final List<Started> started = new CopyOnWriteArrayList<>();
    final List<Answered> answered = new CopyOnWriteArrayList<>();
    final List<String> released = new CopyOnWriteArrayList<>();
    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final Map<String, Run> runs = new HashMap<>();

    /** Deploys a tool whose run asks its caller the questions, in order. */
    FakeToolRuns tool(ToolDefinition definition, Ask... asks) {
        tools.put(definition.name(), new Tool(definition, List.of(asks), null));
        return this;
    }

    /** Deploys a tool without questions whose run reports progress to its caller as it starts. */
    FakeToolRuns reportingTool(ToolDefinition definition, double progress) {
        tools.put(definition.name(), new Tool(definition, List.of(), progress));
        return this;
    }

    /** A tool as {@code tools/list} would show a process marked as one; {@code requires} the capabilities it needs. */
    static ToolDefinition definition(String name, String... requires) {
        return new ToolDefinition(name, "Title of " + name, "Documentation of " + name,
                Map.of("type", "object", "properties", Map.of("destination", Map.of("type", "string"))),
                List.of(), name + ":1:definition", List.of(requires), false);
    }

    @Override
    public List<ToolDefinition> tools() {
        return tools.values().stream().map(Tool::definition).toList();
    }

    @Override
    public synchronized ToolRun start(String tool, Map<String, Object> arguments, String userId, CallerChannel caller, String callKey) {
        Tool deployed = tools.get(tool);
        if (deployed == null) {
            throw new IllegalArgumentException("No tool '" + tool + "' is deployed");
        }
        Run run = new Run("run-" + (runs.size() + 1), deployed, arguments);
        run.caller = caller;
        runs.put(run.id, run);
        started.add(new Started(run.id, tool, Map.copyOf(arguments), userId));
        if (deployed.progressAtStart() != null && caller != null) {
            caller.progress(deployed.progressAtStart(), 1.0, "started");
        }
        endIfDone(run);
        return new ToolRun(run.id, run.ended);
    }

    @Override
    public void cancel(String runId, String reason) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public synchronized ToolRun resume(String runId, CallerChannel caller) {
        Run run = run(runId);
        run.caller = caller;
        return new ToolRun(run.id, run.ended);
    }

    @Override
    public synchronized void release(String runId, CallerChannel caller) {
        Run run = run(runId);
        if (run.caller == caller) {
            run.caller = null;
        }
        released.add(runId);
    }

    @Override
    public synchronized List<OpenQuestion> openQuestions(String runId) {
        Run run = runs.get(runId);
        if (run == null || run.ended.isDone()) {
            return List.of();
        }
        Ask ask = run.tool.asks().get(run.step);
        return List.of(new OpenQuestion(run.taskId(), ask.key(), ask.message(), ask.requestedSchema()));
    }

    @Override
    public void answer(String taskId, Map<String, Object> content) {
        CallerChannel asking;
        OpenQuestion next;
        synchronized (this) {
            Run run = runs.values().stream().filter(r -> !r.ended.isDone() && r.taskId().equals(taskId)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Task " + taskId + " is no longer open"));
            answered.add(new Answered(taskId, Map.copyOf(content)));
            run.variables.putAll(content);
            run.step++;
            if (endIfDone(run)) {
                return;
            }
            asking = run.caller;
            next = openQuestions(run.id).get(0);
        }
        // As the engine does when the next user task for the caller is created.
        if (asking != null && asking.canElicit()) {
            asking.elicit(next);
        }
    }

    @Override
    public Map<String, String> callerTasks(String runId) {
        return Map.of();
    }

    @Override
    public String createTask(String runId) {
        throw new UnsupportedOperationException("tasks are not part of these tests");
    }

    @Override
    public Optional<io.statehouse.mcp.server.ToolTask> task(String taskId, String userId) {
        return Optional.empty();
    }

    @Override
    public void decline(String runId, String questionKey) {
        throw new UnsupportedOperationException("tasks are not part of these tests");
    }

    @Override
    public synchronized Optional<String> round(String runId) {
        return Optional.ofNullable(runs.get(runId)).map(r -> r.round);
    }

    @Override
    public synchronized void round(String runId, String round) {
        run(runId).round = round;
    }

    @Override
    public synchronized boolean redeem(String runId, String round) {
        Run run = run(runId);
        if (run.round == null || !run.round.equals(round)) {
            return false;
        }
        run.round = null;
        return true;
    }

    private boolean endIfDone(Run run) {
        if (run.step < run.tool.asks().size()) {
            return false;
        }
        run.ended.complete(new ToolRunResult(false, "Run " + run.id + " ended", new LinkedHashMap<>(run.variables), null, run.id));
        return true;
    }

    private Run run(String runId) {
        Run run = runs.get(runId);
        if (run == null) {
            throw new IllegalArgumentException("No tool call started run " + runId);
        }
        return run;
    }
}
