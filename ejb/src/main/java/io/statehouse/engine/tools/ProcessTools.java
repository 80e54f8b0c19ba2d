package io.statehouse.engine.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Documentation;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

import io.statehouse.engine.EngineBootstrap;
import io.statehouse.run.CallerChannel;
import io.statehouse.run.OpenQuestion;
import io.statehouse.run.ToolDefinition;
import io.statehouse.run.ToolRun;
import io.statehouse.run.ToolRunResult;
import io.statehouse.run.ToolRuns;

/**
 * Deployed processes as tools. A modeler marks a process with the extension property
 * {@value #TOOL_PROPERTY}{@code =true} (Camunda Modeler: the process's *Extension properties*);
 * {@value #NAME_PROPERTY} renames the tool (default: the process key) and {@value #OUTPUT_PROPERTY}
 * lists the variables that make its result (default: all of the run's variables). The arguments are
 * the start form's fields, submitted as the caller through the engine's form service, so the
 * form's own validation and the caller's authorizations apply.
 */
@ApplicationScoped
public class ProcessTools implements ToolRuns {

    public static final String TOOL_PROPERTY = "statehouse.tool";
    public static final String NAME_PROPERTY = "statehouse.tool.name";
    public static final String OUTPUT_PROPERTY = "statehouse.tool.output";
    /** Client capabilities a caller must have declared, comma-separated: {@code sampling}, {@code elicitation}. */
    public static final String REQUIRES_PROPERTY = "statehouse.tool.requires";
    /** The run variable that names the user who called the tool: a caller's answers are given as that user. */
    public static final String CALLER_USER_VARIABLE = "mcpCallerUser";
    /** The run variable that names the round of questions its caller was last sent (multi round-trip requests). */
    public static final String ROUND_VARIABLE = "mcpRound";

    private static final Logger LOG = Logger.getLogger(ProcessTools.class.getName());

    @Inject
    EngineBootstrap engineBootstrap;

    @Inject
    RunEnds runEnds;

    @Inject
    CallerQuestions callerQuestions;

    @Inject
    CallerProgress callerProgress;

    @Resource
    ManagedExecutorService executor;

    /** Which user tasks are marked for the caller, by process definition id and element id. */
    private final Map<String, Boolean> markedForCaller = new ConcurrentHashMap<>();

    /** Tool definitions per process definition id: a deployed definition never changes. */
    private final Map<String, java.util.Optional<ToolDefinition>> byDefinition = new ConcurrentHashMap<>();

    @Override
    public List<ToolDefinition> tools() {
        ProcessEngine engine = engine();
        List<ToolDefinition> tools = new ArrayList<>();
        for (ProcessDefinition definition : engine.getRepositoryService().createProcessDefinitionQuery()
                .latestVersion().active().list()) {
            byDefinition.computeIfAbsent(definition.getId(), id -> read(engine, definition)).ifPresent(tools::add);
        }
        return tools;
    }

    @Override
    public ToolRun start(String tool, Map<String, Object> arguments, String userId, CallerChannel caller) {
        ToolDefinition definition = tools().stream().filter(t -> t.name().equals(tool)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown tool '" + tool + "'"));
        ProcessEngine engine = engine();
        IdentityService identity = engine.getIdentityService();
        List<String> groups = identity.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
        ProcessInstance run;
        Map<String, Object> variables = new LinkedHashMap<>(arguments == null ? Map.of() : arguments);
        String callerId = caller == null ? null : callerQuestions.open(caller);
        variables.put(CallerQuestions.CALLER_VARIABLE, callerId);
        variables.put(CALLER_USER_VARIABLE, userId);
        identity.setAuthentication(userId, groups);
        try {
            run = engine.getFormService().submitStartForm(definition.processDefinitionId(), variables);
        } catch (ProcessEngineException e) {
            if (callerId != null) {
                callerQuestions.close(callerId);
                callerProgress.close(callerId);
            }
            throw new IllegalArgumentException("Tool '" + tool + "' refused the arguments: " + e.getMessage(), e);
        } finally {
            identity.clearAuthentication();
        }
        CompletableFuture<String> ended = runEnds.await(run.getId());
        if (run.isEnded()) {
            ended.complete(run.getId());
        }
        if (callerId != null) {
            ended.whenComplete((id, e) -> {
                callerQuestions.close(callerId);
                callerProgress.close(callerId);
            });
        }
        LOG.fine(() -> "Tool '" + tool + "' started run " + run.getId() + " for " + userId);
        return toolRun(engine, definition, run.getId(), ended);
    }

    private ToolRun toolRun(ProcessEngine engine, ToolDefinition definition, String runId, CompletableFuture<String> ended) {
        return new ToolRun(runId, ended.handleAsync((id, stopped) -> {
            if (stopped != null) {
                Throwable why = stopped instanceof java.util.concurrent.CompletionException && stopped.getCause() != null ? stopped.getCause() : stopped;
                return new ToolRunResult(true, "Run " + runId + " of '" + definition.name() + "' " + why.getMessage()
                        + ". An operator can retry it in Cockpit; the run goes on from there.", Map.of(), runId);
            }
            return result(engine, definition, id);
        }, executor));
    }

    @Override
    public ToolRun resume(String runId, CallerChannel caller) {
        ProcessEngine engine = engine();
        CompletableFuture<String> ended = runEnds.await(runId);
        ProcessInstance run = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(runId).singleResult();
        String definitionId = run != null ? run.getProcessDefinitionId() : java.util.Optional.ofNullable(
                engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(runId).singleResult())
                .map(HistoricProcessInstance::getProcessDefinitionId).orElse(null);
        ProcessDefinition processDefinition = definitionId == null ? null
                : engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionId(definitionId).singleResult();
        ToolDefinition definition = processDefinition == null ? null
                : byDefinition.computeIfAbsent(definitionId, id -> read(engine, processDefinition)).orElse(null);
        if (definition == null) {
            ended.cancel(false);
            throw new IllegalArgumentException("Run " + runId + " is not the run of a tool call");
        }
        if (run == null) {
            ended.complete(runId);
        } else {
            Object callerId = engine.getRuntimeService().getVariable(runId, CallerQuestions.CALLER_VARIABLE);
            if (callerId != null && caller != null) {
                callerQuestions.reopen(callerId.toString(), caller);
                ended.whenComplete((id, e) -> callerQuestions.close(callerId.toString(), caller));
            }
        }
        return toolRun(engine, definition, runId, ended);
    }

    @Override
    public void release(String runId, CallerChannel caller) {
        // A query, not getVariable: the run may have ended, and that is no error here.
        var callerId = engine().getRuntimeService().createVariableInstanceQuery().processInstanceIdIn(runId)
                .variableName(CallerQuestions.CALLER_VARIABLE).list().stream().findFirst();
        callerId.filter(v -> v.getValue() != null).ifPresent(v -> callerQuestions.close(v.getValue().toString(), caller));
    }

    @Override
    public List<OpenQuestion> openQuestions(String runId) {
        ProcessEngine engine = engine();
        List<Task> tasks = engine.getTaskService().createTaskQuery().processInstanceId(runId).active()
                .orderByTaskCreateTime().asc().list().stream()
                .filter(task -> forCaller(engine, task.getProcessDefinitionId(), task.getTaskDefinitionKey())).toList();
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
    public Map<String, String> callerTasks(String runId) {
        Map<String, String> tasks = new LinkedHashMap<>();
        for (var task : engine().getExternalTaskService().createExternalTaskQuery().processInstanceId(runId).active().list()) {
            if (io.statehouse.bpmn.ProcessModels.SamplingTask.TOPIC.equals(task.getTopicName())) {
                tasks.put(task.getActivityId(), "sampling");
            } else if (io.statehouse.bpmn.ProcessModels.RootsTask.TOPIC.equals(task.getTopicName())) {
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
    public java.util.Optional<String> round(String runId) {
        ProcessEngine engine = engine();
        if (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(runId).count() == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.ofNullable((String) engine.getRuntimeService().getVariable(runId, ROUND_VARIABLE));
    }

    @Override
    public void round(String runId, String round) {
        engine().getRuntimeService().setVariable(runId, ROUND_VARIABLE, round);
    }

    @Override
    public boolean redeem(String runId, String round) {
        var configuration = (org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl) engine().getProcessEngineConfiguration();
        try {
            // One command: two retries with the same state cannot both take the round (the second one's update fails on the variable's revision).
            return configuration.getCommandExecutorTxRequired().execute(commandContext -> {
                var run = commandContext.getExecutionManager().findExecutionById(runId);
                if (run == null || !round.equals(run.getVariableLocal(ROUND_VARIABLE))) {
                    return false;
                }
                run.setVariableLocal(ROUND_VARIABLE, null);
                return true;
            });
        } catch (org.camunda.bpm.engine.OptimisticLockingException e) {
            LOG.fine(() -> "Round " + round + " of run " + runId + " was taken by another request at the same time");
            return false;
        }
    }

    /** Whether a user task is marked for the caller; a deployed model never changes, so the answer is kept. */
    private boolean forCaller(ProcessEngine engine, String definitionId, String elementId) {
        return markedForCaller.computeIfAbsent(definitionId + "#" + elementId, key -> {
            var element = engine.getRepositoryService().getBpmnModelInstance(definitionId).getModelElementById(elementId);
            if (!(element instanceof org.camunda.bpm.model.bpmn.instance.BaseElement base) || base.getExtensionElements() == null) {
                return false;
            }
            return base.getExtensionElements().getChildElementsByType(CamundaProperties.class).stream()
                    .flatMap(group -> group.getCamundaProperties().stream())
                    .anyMatch(p -> CallerQuestions.ELICIT_PROPERTY.equals(p.getCamundaName()) && "caller".equals(p.getCamundaValue()));
        });
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
        String bpmnError = null;
        for (HistoricVariableInstance variable : history.createHistoricVariableInstanceQuery().processInstanceId(runId).list()) {
            if (variable.getActivityInstanceId() != null && !variable.getActivityInstanceId().equals(runId)
                    && !runId.equals(variable.getExecutionId())) {
                continue;
            }
            if (CallerQuestions.CALLER_VARIABLE.equals(variable.getName()) || CALLER_USER_VARIABLE.equals(variable.getName())
                    || ROUND_VARIABLE.equals(variable.getName())) {
                continue;
            }
            if (RunEnds.ERROR_VARIABLE.equals(variable.getName())) {
                bpmnError = String.valueOf(variable.getValue());
                continue;
            }
            if (tool.outputVariables().isEmpty() || tool.outputVariables().contains(variable.getName())
                    || ToolRunResult.CONTENT_VARIABLE.equals(variable.getName())) {
                variables.put(variable.getName(), variable.getValue());
            }
        }
        String state = run == null ? "UNKNOWN" : run.getState();
        if (bpmnError != null) {
            return new ToolRunResult(true, "Run " + runId + " of '" + tool.name() + "' ended with the BPMN error " + bpmnError, variables, runId);
        }
        if (HistoricProcessInstance.STATE_COMPLETED.equals(state)) {
            return new ToolRunResult(false, "Run " + runId + " of '" + tool.name() + "' completed", variables, runId);
        }
        String reason = run == null || run.getDeleteReason() == null ? state : run.getDeleteReason();
        return new ToolRunResult(true, "Run " + runId + " of '" + tool.name() + "' did not complete: " + reason, variables, runId);
    }

    private static java.util.Optional<ToolDefinition> read(ProcessEngine engine, ProcessDefinition definition) {
        BpmnModelInstance model = engine.getRepositoryService().getBpmnModelInstance(definition.getId());
        Process process = model.getModelElementById(definition.getKey());
        if (process == null) {
            return java.util.Optional.empty();
        }
        Map<String, String> properties = properties(process);
        if (!"true".equalsIgnoreCase(properties.getOrDefault(TOOL_PROPERTY, "false").trim())) {
            return java.util.Optional.empty();
        }
        String name = properties.getOrDefault(NAME_PROPERTY, definition.getKey()).trim();
        String description = process.getDocumentations().stream().map(Documentation::getTextContent)
                .filter(t -> t != null && !t.isBlank()).findFirst()
                .orElse(definition.getName() != null && !definition.getName().isBlank() ? definition.getName() : "Runs the process " + definition.getKey());
        List<String> outputs = properties.containsKey(OUTPUT_PROPERTY)
                ? Arrays.stream(properties.get(OUTPUT_PROPERTY).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();
        var startForm = engine.getFormService().getStartFormData(definition.getId());
        Map<String, Object> schema = FormSchemas.inputSchema(startForm == null ? List.of() : startForm.getFormFields());
        List<String> requires = properties.containsKey(REQUIRES_PROPERTY)
                ? Arrays.stream(properties.get(REQUIRES_PROPERTY).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : List.of();
        return java.util.Optional.of(new ToolDefinition(name, definition.getName(), description, schema, outputs, definition.getId(), requires));
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
        ProcessEngine engine = engineBootstrap.processEngine();
        if (engine == null) {
            throw new IllegalStateException("The process engine is not running");
        }
        return engine;
    }
}
