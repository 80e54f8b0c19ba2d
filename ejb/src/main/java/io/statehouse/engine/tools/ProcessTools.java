package io.statehouse.engine.tools;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Documentation;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperty;

import io.statehouse.engine.EngineBootstrap;
import io.statehouse.run.CallerChannel;
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
    /** The run variable that names the user who called the tool: a caller's answers are given as that user. */
    public static final String CALLER_USER_VARIABLE = "mcpCallerUser";

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
        return new ToolRun(run.getId(), ended.handleAsync((id, stopped) -> {
            if (stopped != null) {
                Throwable why = stopped instanceof java.util.concurrent.CompletionException && stopped.getCause() != null ? stopped.getCause() : stopped;
                return new ToolRunResult(true, "Run " + run.getId() + " of '" + tool + "' " + why.getMessage()
                        + ". An operator can retry it in Cockpit; the run goes on from there.", Map.of(), run.getId());
            }
            return result(engine, definition, id);
        }, executor));
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
            if (CallerQuestions.CALLER_VARIABLE.equals(variable.getName()) || CALLER_USER_VARIABLE.equals(variable.getName())) {
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
        return java.util.Optional.of(new ToolDefinition(name, definition.getName(), description, schema, outputs, definition.getId()));
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
