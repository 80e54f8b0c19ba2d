package io.statehouse.mcp.client.engine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.exception.NotFoundException;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.cluster.NodeIdentity;
import io.statehouse.engine.RunningEngine;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.InputResponses;
import io.statehouse.mcp.client.RemoteServer;
import io.statehouse.mcp.client.RemoteServerRegistry;
import io.statehouse.mcp.client.ToolCall;
import io.statehouse.mcp.client.ToolCallFailedException;
import io.statehouse.mcp.client.ToolOutcome;
import io.statehouse.mcp.client.protocol.McpToolCaller;
import io.statehouse.sampling.SamplingModels;

/**
 * Serves the external task "Call the MCP tool" inside Statehouse: fetches and locks new calls,
 * starts each on the MCP SDK's async client, keeps the lock alive while it runs, and records its
 * outcome. No thread waits for the server or for a person; the lock expires within
 * {@code statehouse.mcp.client.lock-duration} when this node dies, and the next fetch then ends the call as a lost session.
 *
 * <p>Outcomes: a result completes the task ({@code mcpResult}, {@code mcpResultJson}); a result with
 * {@code isError} and a lost session are BPMN errors that the calling element may catch (uncaught,
 * they become incidents); a server that cannot be reached, refuses or times out is an incident at
 * once, which an operator retries in Cockpit.
 */
@Singleton
@Startup
@DependsOn("EngineBootstrap")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class McpToolCallWorker {

    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);
    static final int BATCH = 20;

    private static final Logger LOG = Logger.getLogger(McpToolCallWorker.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedExecutorService executor;

    @Inject
    RunningEngine runningEngine;

    @Inject
    RemoteServerRegistry registry;

    @Inject
    PendingQuestions pending;

    @Inject
    WorkerSignal signal;

    @Inject
    NodeIdentity node;

    @Inject
    SamplingModels samplingModels;

    /** How often a session with a call in flight is pinged; two failed pings in a row are a lost session. */
    @Inject
    @ConfigProperty(name = "statehouse.mcp.client.ping-interval", defaultValue = "PT10S")
    Duration pingInterval;

    /**
     * How long a call stays locked to this node without renewal (renewed every quarter of it): when
     * the node dies, another start finds the call this much later and ends it as a lost session.
     */
    @Inject
    @ConfigProperty(name = "statehouse.mcp.client.lock-duration", defaultValue = "PT2M")
    Duration lock;

    private String workerId;
    private final Map<String, ActiveToolCall> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicBoolean fetchAgain = new AtomicBoolean();
    private McpToolCaller caller;
    private ScheduledFuture<?> polling;
    private ScheduledFuture<?> renewing;
    private volatile boolean stopped;

    @PostConstruct
    void start() {
        workerId = node.workerId("statehouse-mcp-client");
        caller = new McpToolCaller(executor, pingInterval);
        signal.onWake(() -> executor.execute(this::fetch));
        polling = scheduler.scheduleWithFixedDelay(this::fetch, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        long renewal = Math.max(1000, lock.toMillis() / 4);
        renewing = scheduler.scheduleWithFixedDelay(this::renewLocks, renewal, renewal, TimeUnit.MILLISECONDS);
        LOG.info(() -> "MCP tool-call worker " + workerId + " serves topic " + McpToolCall.TOPIC);
    }

    @PreDestroy
    void stop() {
        stopped = true;
        signal.onWake(() -> { });
        polling.cancel(false);
        renewing.cancel(false);
        // The calls in flight end with the node; their locks run out and the next node records them as lost sessions.
        LOG.info(() -> "MCP tool-call worker stops with " + inFlight.size() + " call(s) in flight");
    }

    private void fetch() {
        if (stopped) {
            return;
        }
        if (!fetching.compareAndSet(false, true)) {
            fetchAgain.set(true);
            return;
        }
        try {
            do {
                fetchAgain.set(false);
                ProcessEngine engine = runningEngine.processEngine();
                if (engine == null) {
                    return;
                }
                List<LockedExternalTask> tasks = engine.getExternalTaskService().fetchAndLock(BATCH, workerId)
                        .topic(McpToolCall.TOPIC, lock.toMillis())
                        .execute();
                for (LockedExternalTask task : tasks) {
                    begin(engine, task);
                }
                if (tasks.size() == BATCH) {
                    fetchAgain.set(true);
                }
            } while (fetchAgain.get() && !stopped);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Fetching MCP tool calls failed; trying again in " + POLL, e);
        } finally {
            fetching.set(false);
        }
    }

    private void begin(ProcessEngine engine, LockedExternalTask task) {
        ExternalTaskService tasks = engine.getExternalTaskService();
        String callInstanceId = task.getProcessInstanceId();
        Map<String, Object> variables = task.getVariables();
        boolean inRound = variables.get(McpToolCall.VAR_INPUT_REQUESTS) != null;
        String remoteTask = (String) variables.get(McpToolCall.VAR_REMOTE_TASK);
        // A call in rounds, or one that its server made a task, holds no connection: a restart loses nothing of it.
        if (variables.get(McpToolCall.VAR_CALL_IN_FLIGHT) != null && !inRound && remoteTask == null) {
            lostOnEarlierNode(engine, task, (String) variables.get(McpToolCall.VAR_CALL_IN_FLIGHT));
            return;
        }
        ToolCall call;
        try {
            RemoteServer server = registry.require(text(variables.get(McpToolCall.IN_SERVER), McpToolCall.IN_SERVER));
            String tool = text(variables.get(McpToolCall.IN_TOOL), McpToolCall.IN_TOOL);
            // The same token after a restart: the progress of the call's next requests still counts as this call's.
            call = new ToolCall(server, tool, arguments(variables.get(McpToolCall.IN_ARGUMENTS)), timeout(variables.get(McpToolCall.IN_TIMEOUT)),
                    task.getId());
        } catch (RuntimeException e) {
            // A modelling or registry mistake: an incident that says what to fix, retried from Cockpit once fixed.
            tasks.handleFailure(task.getId(), workerId, e.getMessage(), describe(e), 0, 0);
            return;
        }
        ActiveToolCall active = new ActiveToolCall(engine, pending, scheduler, task.getId(), callInstanceId,
                (String) variables.get(McpToolCall.IN_RUN_ID), call.server().name(), (String) variables.get(McpToolCall.IN_SAMPLING_PROVIDER),
                samplingModels::knows);
        engine.getRuntimeService().setVariable(callInstanceId, McpToolCall.VAR_CALL_IN_FLIGHT,
                workerId + " since " + Instant.now());
        inFlight.put(task.getId(), active);
        CompletionStage<ToolOutcome> outcome;
        try {
            outcome = remoteTask != null ? resumeTask(engine, call, active, variables, remoteTask)
                    : inRound ? resumeRound(engine, call, active, variables) : caller.call(call, active);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenCompleteAsync((result, failure) -> finish(engine, active, call, result, failure), executor);
    }

    /**
     * A call in rounds (MCP 2026-07-28) whose node stopped while its round was open: nothing was
     * lost, since no connection was open, and the round's state and answers are on the call's
     * instance. The answers given are taken from there, the questions still open are waited for
     * again, and then the call is retried as if nothing had happened.
     */
    private CompletionStage<ToolOutcome> resumeRound(ProcessEngine engine, ToolCall call, ActiveToolCall active, Map<String, Object> variables) {
        Map<String, Object> requests = caller.parseArguments(String.valueOf(variables.get(McpToolCall.VAR_INPUT_REQUESTS)));
        Map<String, CompletionStage<Map<String, Object>>> answers = new LinkedHashMap<>();
        String missing = answersOfRound(engine, active.callInstanceId(), requests, answers);
        if (missing != null) {
            return CompletableFuture.failedFuture(new ToolCallFailedException(ToolCallFailedException.Kind.SESSION_LOST,
                    "Statehouse restarted while tool '" + call.tool() + "' on MCP server '" + call.server().name()
                            + "' waited for answers, and the question '" + missing + "' is neither answered nor open any more", null));
        }
        LOG.info(() -> "MCP call " + active.callInstanceId() + " (" + call.server().name() + "/" + call.tool() + ") goes on with its round of "
                + requests.keySet() + " after a restart");
        return caller.resume(call, active, String.valueOf(variables.get(McpToolCall.VAR_REQUEST_STATE)), answers);
    }

    /**
     * A call that its server made a task (the tasks extension), after a restart: the task is still
     * on the server, so the call follows it again; the answers of its last requests, kept or still
     * open in the Tasklist, go to the server if it still asks for them.
     */
    private CompletionStage<ToolOutcome> resumeTask(ProcessEngine engine, ToolCall call, ActiveToolCall active, Map<String, Object> variables,
            String taskId) {
        Map<String, CompletionStage<Map<String, Object>>> answers = new LinkedHashMap<>();
        if (variables.get(McpToolCall.VAR_INPUT_REQUESTS) != null) {
            answersOfRound(engine, active.callInstanceId(), caller.parseArguments(String.valueOf(variables.get(McpToolCall.VAR_INPUT_REQUESTS))), answers);
        }
        LOG.info(() -> "MCP call " + active.callInstanceId() + " (" + call.server().name() + "/" + call.tool() + ") follows its task " + taskId
                + " again after a restart");
        return caller.resumeTask(call, active, taskId, answers);
    }

    /**
     * The answers of a round kept on the call's instance, or awaited from the question tasks still
     * open, by key, into {@code answers}.
     *
     * @return the first key that is neither answered nor open, or null
     */
    private String answersOfRound(ProcessEngine engine, String callInstanceId, Map<String, Object> requests,
            Map<String, CompletionStage<Map<String, Object>>> answers) {
        String missing = null;
        List<Task> open = engine.getTaskService().createTaskQuery().processInstanceId(callInstanceId).list();
        for (Map.Entry<String, Object> entry : requests.entrySet()) {
            String key = entry.getKey();
            String method = entry.getValue() instanceof Map<?, ?> request ? String.valueOf(request.get("method")) : "";
            CompletableFuture<Answer> waiting = open.stream()
                    .filter(t -> key.equals(engine.getTaskService().getVariable(t.getId(), McpToolCall.VAR_INPUT_KEY)))
                    .map(t -> (String) engine.getTaskService().getVariable(t.getId(), McpToolCall.VAR_REQUEST_ID))
                    .filter(Objects::nonNull).findFirst().map(requestId -> pending.open(requestId, callInstanceId)).orElse(null);
            // Read after waiting began: an answer given in between is kept there.
            Object kept = engine.getRuntimeService().getVariableLocal(callInstanceId, McpToolCall.VAR_INPUT_RESPONSE_PREFIX + key);
            if (kept != null) {
                if (waiting != null) {
                    waiting.cancel(false);
                }
                answers.put(key, CompletableFuture.completedFuture(caller.parseArguments(kept.toString())));
            } else if (waiting != null) {
                answers.put(key, waiting.thenApply(answer -> InputResponses.of(method, answer)));
            } else if (InputResponses.ROOTS.equals(method)) {
                answers.put(key, CompletableFuture.completedFuture(InputResponses.of(method, Answer.of(Answer.Action.ACCEPT))));
            } else if (missing == null) {
                missing = key;
            }
        }
        return missing;
    }

    private void finish(ProcessEngine engine, ActiveToolCall active, ToolCall call, ToolOutcome outcome, Throwable failure) {
        inFlight.remove(active.externalTaskId());
        ExternalTaskService tasks = engine.getExternalTaskService();
        String taskId = active.externalTaskId();
        // The in-flight marker goes in the same transaction as the outcome: a call is either recorded or found again.
        Map<String, Object> variables = new HashMap<>();
        variables.put(McpToolCall.VAR_CALL_IN_FLIGHT, null);
        // A call retried from Cockpit after a failure asks its server anew.
        variables.put(McpToolCall.VAR_REMOTE_TASK, null);
        try {
            active.finishProgress();
            if (failure == null) {
                variables.put(McpToolCall.OUT_RESULT, text(outcome.value()));
                variables.put(McpToolCall.OUT_RESULT_JSON, text(outcome.json()));
                if (outcome.error()) {
                    String message = "Tool '" + call.tool() + "' on MCP server '" + call.server().name() + "' reported an error: " + outcome.text();
                    retried(() -> bpmnError(tasks, taskId, McpToolCall.ERROR_TOOL_FAILED, message, variables));
                } else {
                    retried(() -> tasks.complete(taskId, workerId, variables));
                }
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            ToolCallFailedException failed = cause instanceof ToolCallFailedException f ? f
                    : new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, String.valueOf(cause.getMessage()), cause);
            int closed = active.closeOpenQuestions(failed.getMessage());
            if (failed.kind() == ToolCallFailedException.Kind.SESSION_LOST) {
                retried(() -> bpmnError(tasks, taskId, McpToolCall.ERROR_SESSION_LOST, failed.getMessage()
                        + (closed > 0 ? " (" + closed + " open question(s) closed)" : ""), variables));
            } else {
                retried(() -> tasks.handleFailure(taskId, workerId, failed.getMessage(), describe(failed), 0, 0, variables, Map.of()));
            }
        } catch (RuntimeException e) {
            // Never a silent retry: what could not be recorded is an incident that says why.
            LOG.log(Level.WARNING, "Could not record the outcome of MCP tool call " + taskId + " (" + call.server().name() + "/" + call.tool() + ")", e);
            try {
                tasks.handleFailure(taskId, workerId, "Statehouse could not record the outcome of tool '" + call.tool() + "' on MCP server '"
                        + call.server().name() + "': " + e.getMessage(), describe(e), 0, 0, variables, Map.of());
            } catch (RuntimeException again) {
                LOG.log(Level.SEVERE, "Could not record the failure of MCP tool call " + taskId + " either; it is found again when its lock runs out", again);
            }
        }
    }

    /**
     * A String variable holds 4000 characters; longer text is stored JSON-serialized (Spin), still a
     * String to every expression and out-mapping.
     */
    static TypedValue text(String value) {
        if (value == null || value.length() <= 4000) {
            return Variables.stringValue(value);
        }
        return Variables.objectValue(value).serializationDataFormat(Variables.SerializationDataFormats.JSON).create();
    }

    private void lostOnEarlierNode(ProcessEngine engine, LockedExternalTask task, String marker) {
        String reason = "Statehouse stopped while this MCP call was in flight (" + marker + "); its MCP session is gone";
        ActiveToolCall orphan = new ActiveToolCall(engine, pending, scheduler, task.getId(), task.getProcessInstanceId(), null, "", null, provider -> false);
        int closed = orphan.closeOpenQuestions(reason);
        Map<String, Object> variables = new HashMap<>();
        variables.put(McpToolCall.VAR_CALL_IN_FLIGHT, null);
        bpmnError(engine.getExternalTaskService(), task.getId(), McpToolCall.ERROR_SESSION_LOST,
                reason + (closed > 0 ? " (" + closed + " open question(s) closed)" : ""), variables);
    }

    /** A BPMN error for the calling element; when nothing catches it, an incident that says so. */
    private void bpmnError(ExternalTaskService tasks, String taskId, String code, String message, Map<String, Object> variables) {
        try {
            tasks.handleBpmnError(taskId, workerId, code, message, variables);
        } catch (RuntimeException uncaught) {
            tasks.handleFailure(taskId, workerId, message + " [BPMN error " + code + ", not caught by the calling model]",
                    describe(uncaught), 0, 0, variables, Map.of());
        }
    }

    /**
     * Records a call's outcome on its external task, again when another transaction changed the task at the
     * same moment: the renewal of its lock (every quarter of the lock duration) is the one that does.
     */
    private static void retried(Runnable record) {
        for (int attempt = 1; ; attempt++) {
            try {
                record.run();
                return;
            } catch (RuntimeException e) {
                if (attempt == 3 || !concurrentChange(e)) {
                    throw e;
                }
                LOG.fine(() -> "The outcome of an MCP call met a concurrent change of its external task (its lock's renewal); recorded again");
            }
        }
    }

    private static boolean concurrentChange(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof OptimisticLockingException) {
                return true;
            }
        }
        return false;
    }

    private void renewLocks() {
        ProcessEngine engine = runningEngine.processEngine();
        if (engine == null) {
            return;
        }
        for (ActiveToolCall call : inFlight.values()) {
            try {
                engine.getExternalTaskService().extendLock(call.externalTaskId(), workerId, lock.toMillis());
            } catch (NotFoundException gone) {
                // The run was cancelled (its call's external task went with it): a task on the server is cancelled there.
                LOG.fine(() -> "MCP call " + call.callInstanceId() + " is gone; its call is abandoned");
                call.abandon();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Lock of " + call.externalTaskId() + " not extended (it ended meanwhile?)", e);
            }
        }
    }

    private Map<String, Object> arguments(Object value) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> arguments = new HashMap<>();
            map.forEach((k, v) -> arguments.put(String.valueOf(k), v));
            return arguments;
        }
        return caller.parseArguments(value.toString());
    }

    private static Duration timeout(Object value) {
        if (value == null || value.toString().isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return Duration.parse(value.toString().trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(McpToolCall.IN_TIMEOUT + " must be an ISO-8601 duration such as PT30M, not '" + value + "'", e);
        }
    }

    private static String text(Object value, String name) {
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException(name + " is not set; the MCP tool call element needs it");
        }
        return value.toString().trim();
    }

    private static String describe(Throwable e) {
        var out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
