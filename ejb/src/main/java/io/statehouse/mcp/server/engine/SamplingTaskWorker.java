package io.statehouse.mcp.server.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
import jakarta.json.Json;

import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;

import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.bpmn.ProcessModels.RootsTask;
import io.statehouse.bpmn.ProcessModels.SamplingTask;
import io.statehouse.cluster.NodeIdentity;
import io.statehouse.engine.RunningEngine;
import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.sampling.SamplingModels;
import io.statehouse.sampling.SamplingRequest;
import io.statehouse.sampling.SamplingResult;

/**
 * Serves sampling tasks ({@value SamplingTask#TOPIC}) and roots tasks ({@value RootsTask#TOPIC}, which the caller answers when it
 * lists its roots, else with none). For sampling, the model of the MCP client that called the
 * run answers when it declared sampling and its call is open on this node; otherwise the first
 * configured sampling provider, routed as for MCP tool calls. Without either, an incident says so.
 */
@Singleton
@Startup
@DependsOn("EngineBootstrap")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SamplingTaskWorker {

    static final Duration LOCK = Duration.ofMinutes(10);
    static final int DEFAULT_MAX_TOKENS = 500;
    static final int COMPLETE_ATTEMPTS = 3;

    private static final Logger LOG = Logger.getLogger(SamplingTaskWorker.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedExecutorService executor;

    @Inject
    RunningEngine runningEngine;

    @Inject
    CallerQuestions callers;

    @Inject
    SamplingModels models;

    @Inject
    NodeIdentity node;

    private String workerId;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private ScheduledFuture<?> polling;

    @PostConstruct
    void start() {
        workerId = node.workerId("statehouse-sampling");
        polling = scheduler.scheduleWithFixedDelay(this::fetch, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        polling.cancel(false);
    }

    private void fetch() {
        ProcessEngine engine = runningEngine.processEngine();
        if (engine == null || !fetching.compareAndSet(false, true)) {
            return;
        }
        try {
            List<LockedExternalTask> tasks = engine.getExternalTaskService().fetchAndLock(10, workerId)
                    .topic(SamplingTask.TOPIC, LOCK.toMillis())
                    .topic(RootsTask.TOPIC, LOCK.toMillis()).execute();
            for (LockedExternalTask task : tasks) {
                if (RootsTask.TOPIC.equals(task.getTopicName())) {
                    roots(engine.getExternalTaskService(), task);
                } else {
                    answer(engine.getExternalTaskService(), task);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Fetching sampling tasks failed", e);
        } finally {
            fetching.set(false);
        }
    }

    /**
     * Completes the task, again when another task of the run completed at the same moment: two
     * branches meeting at a parallel gateway update the same execution, and one of them must retry.
     */
    private void complete(ExternalTaskService tasks, LockedExternalTask task, Map<String, Object> variables) {
        for (int attempt = 1; ; attempt++) {
            try {
                tasks.complete(task.getId(), workerId, variables);
                return;
            } catch (OptimisticLockingException e) {
                if (attempt == COMPLETE_ATTEMPTS) {
                    throw e;
                }
                LOG.fine(() -> "Task " + task.getId() + " met a concurrent update of its run; completing it again");
            }
        }
    }

    /** A roots task: the caller's roots when it lists them, else none. */
    private void roots(ExternalTaskService tasks, LockedExternalTask task) {
        var caller = callers.caller(task.getVariables().get(ProcessTool.VAR_CALLER_ID)).filter(CallerChannel::canListRoots);
        CompletionStage<List<Map<String, Object>>> roots = caller.isPresent()
                ? caller.get().roots(task.getProcessInstanceId(), task.getActivityId())
                : CompletableFuture.completedFuture(List.of());
        roots.whenCompleteAsync((listed, failure) -> {
            try {
                if (failure == null) {
                    complete(tasks, task, Map.of(RootsTask.VAR_ROOTS, Json.createArrayBuilder(
                            listed.stream().map(root -> Json.createObjectBuilder(root).build()).toList()).build().toString()));
                } else {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    tasks.handleFailure(task.getId(), workerId, "The caller did not list its roots: " + cause.getMessage(), 0, 0);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not record the roots of task " + task.getId(), e);
            }
        }, executor);
    }

    private void answer(ExternalTaskService tasks, LockedExternalTask task) {
        Map<String, Object> variables = task.getVariables();
        String prompt = variables.get(SamplingTask.VAR_PROMPT) == null ? null : variables.get(SamplingTask.VAR_PROMPT).toString();
        if (prompt == null || prompt.isBlank()) {
            tasks.handleFailure(task.getId(), workerId, SamplingTask.VAR_PROMPT + " is not set; the sampling task needs it", 0, 0);
            return;
        }
        String system = variables.get(SamplingTask.VAR_SYSTEM_PROMPT) == null ? null : variables.get(SamplingTask.VAR_SYSTEM_PROMPT).toString();
        int maxTokens = variables.get(SamplingTask.VAR_MAX_TOKENS) instanceof Number n ? n.intValue() : DEFAULT_MAX_TOKENS;
        var caller = callers.caller(variables.get(ProcessTool.VAR_CALLER_ID)).filter(CallerChannel::canSample);
        CompletionStage<CallerChannel.SampledReply> reply;
        if (caller.isPresent()) {
            reply = caller.get().sample(task.getProcessInstanceId(), task.getActivityId(), system, prompt, maxTokens);
        } else if (!models.service().providers().isEmpty()) {
            reply = CompletableFuture.supplyAsync(() -> {
                SamplingResult result = models.service().sample(new SamplingRequest(system,
                        List.of(new SamplingRequest.Message(SamplingRequest.Role.USER, List.of(new SamplingRequest.Text(prompt)))),
                        maxTokens, null, List.of(), null, null), null, null).result();
                return new CallerChannel.SampledReply(result.text(), result.model());
            }, executor);
        } else {
            tasks.handleFailure(task.getId(), workerId, "No model to ask: the run's caller declared no sampling (or its call is closed)"
                    + " and no sampling provider is configured (statehouse.sampling.providers)", 0, 0);
            return;
        }
        reply.whenCompleteAsync((answer, failure) -> {
            try {
                if (failure == null) {
                    complete(tasks, task, Map.of(SamplingTask.VAR_REPLY, answer.text(),
                            SamplingTask.VAR_MODEL, answer.model() == null ? "unknown" : answer.model()));
                } else {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    tasks.handleFailure(task.getId(), workerId, "The model did not answer: " + cause.getMessage(), 0, 0);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not record the answer of sampling task " + task.getId(), e);
            }
        }, executor);
    }
}
