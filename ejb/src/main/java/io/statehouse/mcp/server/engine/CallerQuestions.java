package io.statehouse.mcp.server.engine;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaProperties;

import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.cluster.ClusterSignals;
import io.statehouse.engine.AfterCommit;
import io.statehouse.engine.RunningEngine;
import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.mcp.server.OpenQuestion;

/**
 * User tasks marked for the caller ({@code statehouse.elicit=caller} among the task's extension
 * properties): when a run that a tool call started reaches one, the calling client is asked
 * ({@code elicitation/create}, with the schema of the task's form fields) once the task is committed.
 * Its accepted answer completes the task as the caller. The task is in the Tasklist all the same:
 * whoever answers first wins; a caller that declines or cannot answer leaves it there. When the
 * Tasklist wins (or the task goes away with its run), the question to the caller is withdrawn.
 */
@ApplicationScoped
public class CallerQuestions extends AbstractBpmnParseListener implements TaskListener {


    private static final Logger LOG = Logger.getLogger(CallerQuestions.class.getName());

    private final Map<String, CallerChannel> callers = new ConcurrentHashMap<>();
    /** Questions open at a caller, by task id. */
    private final Map<String, CompletableFuture<CallerChannel.CallerAnswer>> asked = new ConcurrentHashMap<>();
    /** The run of each caller open here, by caller id: what the sweep looks at. */
    private final Map<String, String> runs = new ConcurrentHashMap<>();
    /** Tasks put to a caller on this node (by any path, once), with when: {@link System#nanoTime()}. */
    private final Map<String, Long> relayed = new ConcurrentHashMap<>();
    /** Whether a user task is marked for the caller, by definition and element; a deployed model never changes. */
    private final Map<String, Boolean> markedForCaller = new ConcurrentHashMap<>();
    @Inject
    RunningEngine runningEngine;

    @Resource
    ManagedExecutorService executor;

    @Inject
    ClusterSignals signals;

    @PostConstruct
    void listen() {
        signals.listen(ClusterSignals.Topic.CALLER_TASK_CREATED, this::createdElsewhere);
        signals.listen(ClusterSignals.Topic.CALLER_TASK_DONE, this::withdraw);
        signals.sweep(this::sweep);
    }

    /** Registers a caller for the time of its call; the id goes into the run as {@value ProcessTool#VAR_CALLER_ID}. */
    String open(CallerChannel caller) {
        String id = UUID.randomUUID().toString();
        callers.put(id, caller);
        return id;
    }

    /** The caller of an open call, if it is still open on this node. */
    Optional<CallerChannel> caller(Object callerId) {
        return callerId == null ? Optional.empty() : Optional.ofNullable(callers.get(callerId.toString()));
    }

    /** The run that the caller's call started. */
    void running(String id, String runId) {
        if (callers.containsKey(id)) {
            runs.put(id, runId);
        }
    }

    void close(String id) {
        callers.remove(id);
        runs.remove(id);
    }

    /** The caller takes up its run again (its next request of a multi round-trip call), under the run's caller id. */
    void reopen(String id, String runId, CallerChannel caller) {
        callers.put(id, caller);
        runs.put(id, runId);
    }

    /** That caller's request is over; a caller that took the run up since keeps it. */
    void close(String id, CallerChannel caller) {
        if (callers.remove(id, caller)) {
            runs.remove(id);
        }
    }

    /** Whether a user task is marked for the caller ({@value ProcessTool#PROPERTY_ELICIT} {@value ProcessTool#ELICIT_CALLER}). */
    boolean forCaller(ProcessEngine engine, String definitionId, String elementId) {
        return markedForCaller.computeIfAbsent(definitionId + "#" + elementId, key -> {
            var element = engine.getRepositoryService().getBpmnModelInstance(definitionId).getModelElementById(elementId);
            if (!(element instanceof BaseElement base) || base.getExtensionElements() == null) {
                return false;
            }
            return base.getExtensionElements().getChildElementsByType(CamundaProperties.class).stream()
                    .flatMap(group -> group.getCamundaProperties().stream())
                    .anyMatch(p -> ProcessTool.PROPERTY_ELICIT.equals(p.getCamundaName()) && ProcessTool.ELICIT_CALLER.equals(p.getCamundaValue()));
        });
    }

    /**
     * What a lost signal from another node would have brought: a task for a caller open here that
     * was never put to it is put now, and a question put to a caller here whose task is gone is
     * withdrawn. Only what was relayed before the sweep's query is judged by it.
     */
    void sweep() {
        ProcessEngine engine = runningEngine.processEngine();
        if (engine == null || runs.isEmpty() && relayed.isEmpty()) {
            return;
        }
        long queried = System.nanoTime();
        Set<String> runIds = Set.copyOf(runs.values());
        List<Task> open = runIds.isEmpty() ? List.of()
                : engine.getTaskService().createTaskQuery().processInstanceIdIn(runIds.toArray(String[]::new)).active().list();
        Set<String> openIds = new HashSet<>();
        open.forEach(task -> openIds.add(task.getId()));
        // Relayed, and not among the tasks of the runs of callers open here: gone, or of a caller no longer here.
        List<String> unsure = relayed.entrySet().stream().filter(e -> e.getValue() < queried && !openIds.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
        if (!unsure.isEmpty()) {
            Set<String> stillOpen = new HashSet<>();
            engine.getTaskService().createTaskQuery().taskIdIn(unsure.toArray(String[]::new)).list().forEach(task -> stillOpen.add(task.getId()));
            unsure.stream().filter(taskId -> !stillOpen.contains(taskId)).forEach(taskId -> {
                LOG.fine(() -> "Task " + taskId + " is done or gone; the sweep withdraws it from its caller");
                withdraw(taskId);
            });
        }
        for (Task task : open) {
            if (!relayed.containsKey(task.getId()) && forCaller(engine, task.getProcessDefinitionId(), task.getTaskDefinitionKey())) {
                LOG.fine(() -> "Task " + task.getId() + " for a caller that waits here was not heard of; the sweep puts it to its caller");
                createdElsewhere(task.getId());
            }
        }
    }

    @Override
    public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        if (!ProcessTool.ELICIT_CALLER.equals(property(userTaskElement, ProcessTool.PROPERTY_ELICIT))) {
            return;
        }
        if (activity.getActivityBehavior() instanceof UserTaskActivityBehavior behavior) {
            behavior.getTaskDefinition().addTaskListener(EVENTNAME_CREATE, this);
            behavior.getTaskDefinition().addTaskListener(EVENTNAME_COMPLETE, withdraw);
            behavior.getTaskDefinition().addTaskListener(EVENTNAME_DELETE, withdraw);
        }
    }

    /** The task is done (in the Tasklist, or by the caller's own answer) or gone: a question still open at the caller is withdrawn. */
    private final TaskListener withdraw = task -> {
        String taskId = task.getId();
        if (!asked.containsKey(taskId)) {
            // Kept for a caller that could not be asked; nothing to withdraw at it.
            relayed.remove(taskId);
        }
        if (asked.containsKey(taskId)) {
            AfterCommit.run(() -> withdraw(taskId));
        } else if (signals.clustered() && task.getVariable(ProcessTool.VAR_CALLER_ID) != null) {
            // The caller may have been asked on another node.
            signals.send(ClusterSignals.Topic.CALLER_TASK_DONE, taskId);
        }
    };

    private void withdraw(String taskId) {
        relayed.remove(taskId);
        var question = asked.remove(taskId);
        if (question != null && question.cancel(false)) {
            LOG.fine(() -> "Task " + taskId + " was answered in the Tasklist; the caller's question is withdrawn");
        }
    }

    @Override
    public void notify(DelegateTask task) {
        Object callerId = task.getVariable(ProcessTool.VAR_CALLER_ID);
        if (callerId == null) {
            return;
        }
        CallerChannel caller = callers.get(callerId.toString());
        if (caller == null) {
            if (signals.clustered()) {
                // The caller may wait on another node.
                signals.send(ClusterSignals.Topic.CALLER_TASK_CREATED, task.getId());
            }
            return;
        }
        if (!caller.canElicit()) {
            return;
        }
        String taskId = task.getId();
        String message = message(task.getName(), task.getDescription());
        AfterCommit.run(() -> executor.execute(() -> ask(caller, taskId, task.getTaskDefinitionKey(), message)));
    }

    private static String message(String name, String description) {
        return name + (description == null ? "" : "\n\n" + description);
    }

    /** A task for a caller that waits on this node was created on another. */
    private void createdElsewhere(String taskId) {
        ProcessEngine engine = runningEngine.processEngine();
        if (engine == null || asked.containsKey(taskId)) {
            return;
        }
        Task task = engine.getTaskService().createTaskQuery().taskId(taskId).singleResult();
        if (task == null) {
            return;
        }
        Object callerId = engine.getRuntimeService().getVariable(task.getExecutionId(), ProcessTool.VAR_CALLER_ID);
        caller(callerId).ifPresent(caller -> {
            if (caller.canElicit()) {
                ask(caller, taskId, task.getTaskDefinitionKey(), message(task.getName(), task.getDescription()));
            } else {
                // Never put to this caller, and not looked at again by the sweep.
                relayed.putIfAbsent(taskId, System.nanoTime());
            }
        });
    }

    private void ask(CallerChannel caller, String taskId, String key, String message) {
        if (relayed.putIfAbsent(taskId, System.nanoTime()) != null) {
            return;
        }
        ProcessEngine engine = runningEngine.processEngine();
        TaskFormData form = engine.getFormService().getTaskFormData(taskId);
        Map<String, Object> schema = FormSchemas.inputSchema(form == null ? List.of() : form.getFormFields());
        var question = caller.elicit(new OpenQuestion(taskId, key, message, schema)).toCompletableFuture();
        asked.put(taskId, question);
        question.whenCompleteAsync((answer, failure) -> {
            asked.remove(taskId, question);
            if (failure instanceof CancellationException) {
                return;
            }
            if (failure != null) {
                LOG.log(Level.FINE, "The caller did not answer task " + taskId + "; it stays in the Tasklist", failure);
                return;
            }
            if (!answer.accepted()) {
                LOG.fine(() -> "The caller declined task " + taskId + "; it stays in the Tasklist");
                return;
            }
            complete(engine, taskId, answer.content());
        }, executor);
    }

    private static void complete(ProcessEngine engine, String taskId, Map<String, Object> content) {
        try {
            submit(engine, taskId, content);
        } catch (IllegalStateException e) {
            LOG.info(() -> "Task " + taskId + " was answered in the Tasklist first; the caller's answer is not used");
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "The caller's answer to task " + taskId + " was not taken: " + e.getMessage(), e);
        }
    }

    /**
     * Submits the caller's answer to the task's form as the run's caller user.
     *
     * @throws IllegalStateException    when the task is no longer open
     * @throws IllegalArgumentException when the form refuses the answer
     */
    static void submit(ProcessEngine engine, String taskId, Map<String, Object> content) {
        var task = engine.getTaskService().createTaskQuery().taskId(taskId).singleResult();
        if (task == null) {
            throw new IllegalStateException("Task " + taskId + " is no longer open; it was answered in the Statehouse Tasklist, or its run ended");
        }
        String user = (String) engine.getRuntimeService().getVariable(task.getExecutionId(), ProcessTool.VAR_CALLER_USER);
        List<String> groups = user == null ? List.of()
                : engine.getIdentityService().createGroupQuery().groupMember(user).list().stream().map(Group::getId).toList();
        engine.getIdentityService().setAuthentication(user, groups);
        try {
            engine.getFormService().submitTaskForm(taskId, formValues(content));
        } catch (ProcessEngineException e) {
            throw new IllegalArgumentException("The answer to '" + task.getName() + "' was refused: " + e.getMessage(), e);
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    /** A multi-select answer (a list) goes into its form field as JSON text: Camunda's form types hold no lists. */
    private static Map<String, Object> formValues(Map<String, Object> content) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (content != null) {
            content.forEach((name, value) -> values.put(name, value instanceof Collection<?> list
                    ? Json.createArrayBuilder(list).build().toString() : value));
        }
        return values;
    }

    private static String property(Element element, String name) {
        Element extensions = element.element("extensionElements");
        if (extensions == null) {
            return null;
        }
        for (Element properties : extensions.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "properties")) {
            for (Element property : properties.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "property")) {
                if (name.equals(property.attribute("name"))) {
                    return property.attribute("value");
                }
            }
        }
        return null;
    }
}
