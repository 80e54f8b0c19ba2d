package io.statehouse.mcp.server.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Documentation;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

import io.statehouse.bpmn.ProcessModels;
import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.engine.RunningEngine;
import io.statehouse.mcp.http.McpHeaders;
import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.mcp.server.OpenQuestion;
import io.statehouse.mcp.server.ToolDefinition;
import io.statehouse.mcp.server.ToolRun;
import io.statehouse.mcp.server.ToolRunResult;
import io.statehouse.mcp.server.ToolRuns;
import io.statehouse.mcp.server.ToolTask;

/**
 * Deployed processes as tools. A modeler marks a process with the extension property
 * {@value ProcessTool#PROPERTY_TOOL}{@code =true} (Camunda Modeler: the process's *Extension properties*);
 * {@value ProcessTool#PROPERTY_NAME} renames the tool (default: the process key) and {@value ProcessTool#PROPERTY_OUTPUT}
 * lists the variables that make its result (default: all of the run's variables). The arguments are
 * the start form's fields, submitted as the caller through the engine's form service, so the
 * form's own validation and the caller's authorizations apply.
 */
@ApplicationScoped
public class ProcessTools implements ToolRuns {

    private static final Logger LOG = Logger.getLogger(ProcessTools.class.getName());

    @Inject
    RunningEngine runningEngine;

    @Inject
    RunEnds runEnds;

    @Inject
    CallerQuestions callerQuestions;

    @Inject
    CallerProgress callerProgress;

    @Inject
    CallKeys callKeys;

    @Resource
    ManagedExecutorService executor;

    /** The tools (process definitions) already warned that they use the deprecated content variable. */
    private final Set<String> warnedDeprecatedContent = ConcurrentHashMap.newKeySet();
    /** The winners of a tool name two processes claim, already warned about. */
    private final Set<String> warnedDuplicates = ConcurrentHashMap.newKeySet();

    /** Tool definitions per process definition id: a deployed definition never changes. */
    private final Map<String, Optional<ToolDefinition>> byDefinition = new ConcurrentHashMap<>();

    @Override
    public List<ToolDefinition> tools() {
        ProcessEngine engine = engine();
        List<ToolDefinition> tools = new ArrayList<>();
        for (ProcessDefinition definition : engine.getRepositoryService().createProcessDefinitionQuery()
                .latestVersion().active().list()) {
            byDefinition.computeIfAbsent(definition.getId(), id -> read(engine, definition)).ifPresent(tools::add);
        }
        return oneToolPerName(engine, tools);
    }

    /**
     * Two processes that name the same tool: the one deployed last is the tool (so that a new deployment takes over a
     * name, as a new version of one process does), and the server log says which was left out, once.
     */
    private List<ToolDefinition> oneToolPerName(ProcessEngine engine, List<ToolDefinition> tools) {
        Map<String, List<ToolDefinition>> byName = new LinkedHashMap<>();
        tools.forEach(tool -> byName.computeIfAbsent(tool.name(), name -> new ArrayList<>()).add(tool));
        if (byName.size() == tools.size()) {
            return tools;
        }
        List<ToolDefinition> chosen = new ArrayList<>();
        for (List<ToolDefinition> claimants : byName.values()) {
            if (claimants.size() == 1) {
                chosen.add(claimants.get(0));
                continue;
            }
            ToolDefinition latest = claimants.stream().max(Comparator.comparing(tool -> deployedAt(engine, tool))).orElseThrow();
            chosen.add(latest);
            if (warnedDuplicates.add(latest.processDefinitionId())) {
                LOG.warning(() -> "Tool '" + latest.name() + "' is claimed by " + claimants.stream().map(ToolDefinition::processDefinitionId).toList()
                        + "; the last deployed, " + latest.processDefinitionId() + ", is the tool");
            }
        }
        return chosen;
    }

    private static Date deployedAt(ProcessEngine engine, ToolDefinition tool) {
        ProcessDefinition definition = engine.getRepositoryService().getProcessDefinition(tool.processDefinitionId());
        var deployment = engine.getRepositoryService().createDeploymentQuery().deploymentId(definition.getDeploymentId()).singleResult();
        return deployment == null || deployment.getDeploymentTime() == null ? new Date(0) : deployment.getDeploymentTime();
    }

    @Override
    public ToolRun start(String tool, Map<String, Object> arguments, String userId, CallerChannel caller, String callKey) {
        ToolDefinition definition = tools().stream().filter(t -> t.name().equals(tool)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown tool '" + tool + "'"));
        CallKeys.Key key = callKey == null ? null : callKeys.key(userId, callKey, tool, arguments);
        if (key != null) {
            Optional<String> earlier = callKeys.earlierRun(key);
            if (earlier.isPresent()) {
                return repeated(tool, earlier.get(), caller);
            }
        }
        ProcessEngine engine = engine();
        IdentityService identity = engine.getIdentityService();
        List<String> groups = identity.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
        ProcessInstance run;
        Map<String, Object> variables = new LinkedHashMap<>(arguments == null ? Map.of() : arguments);
        String callerId = caller == null ? null : callerQuestions.open(caller);
        variables.put(ProcessTool.VAR_CALLER_ID, callerId);
        variables.put(ProcessTool.VAR_CALLER_USER, userId);
        if (key != null) {
            // Calls that repeat the key may each make the run a task, on any node: the task id is the run's from its start, so they all get one.
            variables.put(ProcessTool.VAR_TASK_ID, newTaskId());
        }
        identity.setAuthentication(userId, groups);
        try {
            Supplier<ProcessInstance> submit = () -> engine.getFormService().submitStartForm(definition.processDefinitionId(), variables);
            run = key == null ? submit.get() : callKeys.startOnce(key, submit);
        } catch (CallKeys.TakenMeanwhile taken) {
            closeCaller(callerId);
            return repeated(tool, callKeys.earlierRun(key).orElseThrow(() -> new IllegalStateException(
                    "Another call with the same key started a run, but its row is gone", taken)), caller);
        } catch (ProcessEngineException e) {
            closeCaller(callerId);
            throw new IllegalArgumentException("Tool '" + tool + "' refused the arguments: " + e.getMessage(), e);
        } finally {
            identity.clearAuthentication();
        }
        if (callerId != null) {
            callerQuestions.running(callerId, run.getId());
        }
        CompletableFuture<String> ended = runEnds.await(run.getId());
        if (run.isEnded()) {
            ended.complete(run.getId());
        }
        if (callerId != null) {
            ended.whenComplete((id, e) -> closeCaller(callerId));
        }
        LOG.fine(() -> "Tool '" + tool + "' started run " + run.getId() + " for " + userId);
        return toolRun(engine, definition, run.getId(), ended);
    }

    private void closeCaller(String callerId) {
        if (callerId != null) {
            callerQuestions.close(callerId);
            callerProgress.close(callerId);
        }
    }

    /** The call was made before with its key: the run it started, taken up for this caller. */
    private ToolRun repeated(String tool, String runId, CallerChannel caller) {
        LOG.info(() -> "A call of tool '" + tool + "' repeated an earlier call's key: it gets run " + runId + ", which that call started");
        try {
            return resume(runId, caller);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("An earlier call with this key started run " + runId + ", whose history is gone", e);
        }
    }

    private ToolRun toolRun(ProcessEngine engine, ToolDefinition definition, String runId, CompletableFuture<String> ended) {
        return new ToolRun(runId, ended.handleAsync((id, stopped) -> {
            if (stopped != null) {
                Throwable why = stopped instanceof CompletionException && stopped.getCause() != null ? stopped.getCause() : stopped;
                return new ToolRunResult(true, "Run " + runId + " of '" + definition.name() + "' " + why.getMessage()
                        + ". An operator can retry it in Cockpit; the run goes on from there.", Map.of(), null, runId);
            }
            return result(engine, definition, id);
        }, executor));
    }

    @Override
    public ToolRun resume(String runId, CallerChannel caller) {
        ProcessEngine engine = engine();
        CompletableFuture<String> ended = runEnds.await(runId);
        ProcessInstance run = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(runId).singleResult();
        String definitionId = run != null ? run.getProcessDefinitionId() : Optional.ofNullable(
                engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(runId).singleResult())
                .map(HistoricProcessInstance::getProcessDefinitionId).orElse(null);
        ToolDefinition definition = definitionOf(engine, definitionId);
        if (definition == null) {
            ended.cancel(false);
            throw new IllegalArgumentException("Run " + runId + " is not the run of a tool call");
        }
        if (run == null) {
            ended.complete(runId);
        } else {
            Object callerId = engine.getRuntimeService().getVariable(runId, ProcessTool.VAR_CALLER_ID);
            if (callerId != null && caller != null) {
                callerQuestions.reopen(callerId.toString(), runId, caller);
                ended.whenComplete((id, e) -> callerQuestions.close(callerId.toString(), caller));
            }
        }
        return toolRun(engine, definition, runId, ended);
    }

    @Override
    public void release(String runId, CallerChannel caller) {
        // A query, not getVariable: the run may have ended, and that is no error here.
        var callerId = engine().getRuntimeService().createVariableInstanceQuery().processInstanceIdIn(runId)
                .variableName(ProcessTool.VAR_CALLER_ID).list().stream().findFirst();
        callerId.filter(v -> v.getValue() != null).ifPresent(v -> callerQuestions.close(v.getValue().toString(), caller));
    }

    @Override
    public List<OpenQuestion> openQuestions(String runId) {
        ProcessEngine engine = engine();
        List<Task> tasks = engine.getTaskService().createTaskQuery().processInstanceId(runId).active()
                .orderByTaskCreateTime().asc().list().stream()
                .filter(task -> callerQuestions.forCaller(engine, task.getProcessDefinitionId(), task.getTaskDefinitionKey())).toList();
        Map<String, Long> perElement = new HashMap<>();
        tasks.forEach(task -> perElement.merge(task.getTaskDefinitionKey(), 1L, Long::sum));
        List<OpenQuestion> questions = new ArrayList<>();
        for (Task task : tasks) {
            TaskFormData form = engine.getFormService().getTaskFormData(task.getId());
            String key = perElement.get(task.getTaskDefinitionKey()) > 1 ? task.getTaskDefinitionKey() + "/" + task.getId() : task.getTaskDefinitionKey();
            questions.add(new OpenQuestion(task.getId(), key,
                    task.getName() + (task.getDescription() == null ? "" : "\n\n" + task.getDescription()),
                    FormSchemas.inputSchema(form == null ? List.of() : form.getFormFields())));
        }
        return questions;
    }

    @Override
    public String createTask(String runId) {
        String taskId = newTaskId();
        RuntimeService runtime = engine().getRuntimeService();
        try {
            // A run started with a call key has its task id from the start.
            Optional<String> earlier = taskIdOf(runtime, runId);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            runtime.setVariable(runId, ProcessTool.VAR_TASK_ID, taskId);
        } catch (ProcessEngineException e) {
            // The variable's unique constraint lets one of two callers at once make the task.
            return taskIdOf(runtime, runId).orElseThrow(() -> new IllegalStateException("Run " + runId + " has ended: " + e.getMessage(), e));
        }
        return taskId;
    }

    /** A random (type 4) UUID: 122 bits from a SecureRandom, which no caller can guess; the run's own id is time-based. */
    private static String newTaskId() {
        return UUID.randomUUID().toString();
    }

    private static Optional<String> taskIdOf(RuntimeService runtime, String runId) {
        return runtime.createVariableInstanceQuery().processInstanceIdIn(runId).variableName(ProcessTool.VAR_TASK_ID).list().stream()
                .findFirst().map(v -> v.getValue()).map(Object::toString);
    }

    @Override
    public Optional<ToolTask> task(String taskId, String userId) {
        ProcessEngine engine = engine();
        HistoryService history = engine.getHistoryService();
        List<HistoricProcessInstance> found = history.createHistoricProcessInstanceQuery().variableValueEquals(ProcessTool.VAR_TASK_ID, taskId).list();
        if (found.size() != 1) {
            return Optional.empty();
        }
        HistoricProcessInstance run = found.get(0);
        String runId = run.getId();
        boolean own = history.createHistoricVariableInstanceQuery().processInstanceId(runId).variableName(ProcessTool.VAR_CALLER_USER).list()
                .stream().anyMatch(v -> userId != null && userId.equals(v.getValue()));
        if (!own) {
            return Optional.empty();
        }
        Instant created = run.getStartTime().toInstant();
        String state = run.getState();
        if (HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED.equals(state)) {
            return Optional.of(new ToolTask(taskId, runId, created, ended(run), ToolTask.Status.CANCELLED, List.of(), null, null));
        }
        if (run.getEndTime() != null) {
            ToolDefinition definition = definitionOf(engine, run.getProcessDefinitionId());
            ToolRunResult result = definition == null ? null : result(engine, definition, runId);
            return Optional.of(new ToolTask(taskId, runId, created, ended(run), ToolTask.Status.COMPLETED, List.of(), result, null));
        }
        List<Incident> incidents = engine.getRuntimeService().createIncidentQuery().processInstanceId(runId).list();
        if (!incidents.isEmpty()) {
            Incident first = incidents.get(0);
            Incident cause = first.getRootCauseIncidentId() == null || first.getRootCauseIncidentId().equals(first.getId()) ? first
                    : Optional.ofNullable(engine.getRuntimeService().createIncidentQuery().incidentId(first.getRootCauseIncidentId()).singleResult()).orElse(first);
            return Optional.of(new ToolTask(taskId, runId, created, first.getIncidentTimestamp().toInstant(), ToolTask.Status.FAILED, List.of(), null,
                    RunIncidents.why(cause.getActivityId(), cause.getIncidentMessage())
                            + ". An operator can retry it in Cockpit; the run goes on from there, and so does the task's run, though this task has failed."));
        }
        // A query, not getVariable: the run may end while it is read, and then it is simply seen at the next poll.
        Object declinedKeys = engine.getRuntimeService().createVariableInstanceQuery().processInstanceIdIn(runId)
                .variableName(ProcessTool.VAR_TASK_DECLINED).list().stream().findFirst().map(v -> v.getValue()).orElse(null);
        Set<String> declined = declinedKeys == null ? Set.of() : Set.of(declinedKeys.toString().split(","));
        List<OpenQuestion> questions = openQuestions(runId).stream().filter(q -> !declined.contains(q.key())).toList();
        Instant updated = created;
        for (Task open : engine.getTaskService().createTaskQuery().processInstanceId(runId).active().list()) {
            if (open.getCreateTime() != null && open.getCreateTime().toInstant().isAfter(updated)) {
                updated = open.getCreateTime().toInstant();
            }
        }
        return Optional.of(new ToolTask(taskId, runId, created, updated, questions.isEmpty() ? ToolTask.Status.WORKING : ToolTask.Status.INPUT_REQUIRED,
                questions, null, null));
    }

    private static Instant ended(HistoricProcessInstance run) {
        return run.getEndTime() == null ? run.getStartTime().toInstant() : run.getEndTime().toInstant();
    }

    @Override
    public void decline(String runId, String questionKey) {
        RuntimeService runtime = engine().getRuntimeService();
        Object declined = runtime.getVariable(runId, ProcessTool.VAR_TASK_DECLINED);
        runtime.setVariable(runId, ProcessTool.VAR_TASK_DECLINED, declined == null ? questionKey : declined + "," + questionKey);
    }

    private ToolDefinition definitionOf(ProcessEngine engine, String definitionId) {
        ProcessDefinition processDefinition = definitionId == null ? null
                : engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionId(definitionId).singleResult();
        return processDefinition == null ? null : byDefinition.computeIfAbsent(definitionId, id -> read(engine, processDefinition)).orElse(null);
    }

    @Override
    public Map<String, String> callerTasks(String runId) {
        Map<String, String> tasks = new LinkedHashMap<>();
        for (var task : engine().getExternalTaskService().createExternalTaskQuery().processInstanceId(runId).active().list()) {
            if (ProcessModels.SamplingTask.TOPIC.equals(task.getTopicName())) {
                tasks.put(task.getActivityId(), "sampling");
            } else if (ProcessModels.RootsTask.TOPIC.equals(task.getTopicName())) {
                tasks.put(task.getActivityId(), "roots");
            }
        }
        return tasks;
    }

    @Override
    public void answer(String taskId, Map<String, Object> content) {
        CallerQuestions.submit(engine(), taskId, content);
    }

    @Override
    public Optional<String> round(String runId) {
        ProcessEngine engine = engine();
        if (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(runId).count() == 0) {
            return Optional.empty();
        }
        return Optional.ofNullable((String) engine.getRuntimeService().getVariable(runId, ProcessTool.VAR_ROUND));
    }

    @Override
    public void round(String runId, String round) {
        engine().getRuntimeService().setVariable(runId, ProcessTool.VAR_ROUND, round);
    }

    @Override
    public boolean redeem(String runId, String round) {
        var configuration = (ProcessEngineConfigurationImpl) engine().getProcessEngineConfiguration();
        try {
            // One command: two retries with the same state cannot both take the round (the second one's update fails on the variable's revision).
            return configuration.getCommandExecutorTxRequired().execute(commandContext -> {
                var run = commandContext.getExecutionManager().findExecutionById(runId);
                if (run == null || !round.equals(run.getVariableLocal(ProcessTool.VAR_ROUND))) {
                    return false;
                }
                run.setVariableLocal(ProcessTool.VAR_ROUND, null);
                return true;
            });
        } catch (OptimisticLockingException e) {
            LOG.fine(() -> "Round " + round + " of run " + runId + " was taken by another request at the same time");
            return false;
        }
    }

    @Override
    public void cancel(String runId, String reason) {
        try {
            engine().getRuntimeService().deleteProcessInstanceIfExists(runId, reason, false, true, false, false);
        } catch (ProcessEngineException e) {
            LOG.warning(() -> "Could not cancel run " + runId + ": " + e.getMessage());
        }
    }

    private ToolRunResult result(ProcessEngine engine, ToolDefinition tool, String runId) {
        HistoryService history = engine.getHistoryService();
        HistoricProcessInstance run = history.createHistoricProcessInstanceQuery().processInstanceId(runId).singleResult();
        Map<String, Object> variables = new LinkedHashMap<>();
        Object content = null;
        Object deprecatedContent = null;
        String bpmnError = null;
        for (HistoricVariableInstance variable : history.createHistoricVariableInstanceQuery().processInstanceId(runId).list()) {
            if (variable.getActivityInstanceId() != null && !variable.getActivityInstanceId().equals(runId)
                    && !runId.equals(variable.getExecutionId())) {
                continue;
            }
            if (ProcessTool.VAR_CALLER_ID.equals(variable.getName()) || ProcessTool.VAR_CALLER_USER.equals(variable.getName())
                    || ProcessTool.VAR_ROUND.equals(variable.getName()) || ProcessTool.VAR_TASK_ID.equals(variable.getName())
                    || ProcessTool.VAR_TASK_DECLINED.equals(variable.getName())) {
                continue;
            }
            if (ProcessTool.VAR_BPMN_ERROR.equals(variable.getName())) {
                bpmnError = String.valueOf(variable.getValue());
                continue;
            }
            if (ProcessTool.VAR_RESULT_CONTENT.equals(variable.getName())) {
                content = variable.getValue();
                continue;
            }
            if (ProcessTool.VAR_RESULT_CONTENT_DEPRECATED.equals(variable.getName())) {
                deprecatedContent = variable.getValue();
                continue;
            }
            if (tool.outputVariables().isEmpty() || tool.outputVariables().contains(variable.getName())) {
                variables.put(variable.getName(), variable.getValue());
            }
        }
        if (content == null && deprecatedContent != null) {
            content = deprecatedContent;
            if (warnedDeprecatedContent.add(tool.processDefinitionId())) {
                LOG.warning(() -> "Tool '" + tool.name() + "' (" + tool.processDefinitionId() + ") shapes its content with the variable "
                        + ProcessTool.VAR_RESULT_CONTENT_DEPRECATED + ", which is deprecated: name it " + ProcessTool.VAR_RESULT_CONTENT);
            }
        }
        String state = run == null ? "UNKNOWN" : run.getState();
        if (bpmnError != null) {
            return new ToolRunResult(true, "Run " + runId + " of '" + tool.name() + "' ended with the BPMN error " + bpmnError, variables, content, runId);
        }
        if (HistoricProcessInstance.STATE_COMPLETED.equals(state)) {
            return new ToolRunResult(false, "Run " + runId + " of '" + tool.name() + "' completed", variables, content, runId);
        }
        String reason = run == null || run.getDeleteReason() == null ? state : run.getDeleteReason();
        if (HistoricProcessInstance.STATE_EXTERNALLY_TERMINATED.equals(state)) {
            // Cancelled: by its caller (the reason says so), or by an operator or an API, on any node.
            reason = run.getDeleteReason() == null ? "it was cancelled" : "it was cancelled: " + run.getDeleteReason();
        }
        return new ToolRunResult(true, "Run " + runId + " of '" + tool.name() + "' did not complete: " + reason, variables, content, runId);
    }

    private static Optional<ToolDefinition> read(ProcessEngine engine, ProcessDefinition definition) {
        BpmnModelInstance model = engine.getRepositoryService().getBpmnModelInstance(definition.getId());
        Process process = model.getModelElementById(definition.getKey());
        if (process == null) {
            return Optional.empty();
        }
        Map<String, String> properties = properties(process);
        if (!"true".equalsIgnoreCase(properties.getOrDefault(ProcessTool.PROPERTY_TOOL, "false").trim())) {
            return Optional.empty();
        }
        String name = properties.getOrDefault(ProcessTool.PROPERTY_NAME, definition.getKey()).trim();
        String description = process.getDocumentations().stream().map(Documentation::getTextContent)
                .filter(t -> t != null && !t.isBlank()).findFirst()
                .orElse(definition.getName() != null && !definition.getName().isBlank() ? definition.getName() : "Runs the process " + definition.getKey());
        List<String> outputs = properties.containsKey(ProcessTool.PROPERTY_OUTPUT)
                ? Arrays.stream(properties.get(ProcessTool.PROPERTY_OUTPUT).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();
        var startForm = engine.getFormService().getStartFormData(definition.getId());
        Map<String, Object> schema = FormSchemas.inputSchema(startForm == null ? List.of() : startForm.getFormFields());
        try {
            McpHeaders.params(schema);
        } catch (IllegalArgumentException e) {
            // MCP 2026-07-28 clients must leave out a tool whose headers are ill-defined; Statehouse does not offer it.
            LOG.warning(() -> "Process " + definition.getKey() + " (" + definition.getId() + ") is not offered as tool '" + name
                    + "': its start form's " + ProcessTool.PROPERTY_SCHEMA + " is invalid: " + e.getMessage());
            return Optional.empty();
        }
        List<String> requires = properties.containsKey(ProcessTool.PROPERTY_REQUIRES)
                ? Arrays.stream(properties.get(ProcessTool.PROPERTY_REQUIRES).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();
        boolean taskAtOnce = ProcessTool.TASK_IMMEDIATE.equalsIgnoreCase(properties.getOrDefault(ProcessTool.PROPERTY_TASK, "").trim());
        return Optional.of(new ToolDefinition(name, definition.getName(), description, schema, outputs, definition.getId(), requires, taskAtOnce));
    }

    private static Map<String, String> properties(Process process) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (process.getExtensionElements() == null) {
            return properties;
        }
        for (CamundaProperties group : process.getExtensionElements().getChildElementsByType(CamundaProperties.class)) {
            for (CamundaProperty property : group.getCamundaProperties()) {
                if (property.getCamundaName() != null && property.getCamundaValue() != null) {
                    properties.put(property.getCamundaName(), property.getCamundaValue());
                }
            }
        }
        return properties;
    }

    private ProcessEngine engine() {
        return runningEngine.require();
    }
}
