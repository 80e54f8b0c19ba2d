package io.statehouse.mcp.client.engine;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;

import io.statehouse.bpmn.ProcessModels.McpToolCall;
import io.statehouse.elicitation.InvalidSchemaException;
import io.statehouse.elicitation.JsonAnswers;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.Question;
import io.statehouse.mcp.client.ToolCallListener;
import io.statehouse.progress.Progress;
import io.statehouse.progress.ProgressCoalescer;

/**
 * One tool call in flight, as the engine sees it: the server's questions become tasks in the call's
 * process instance ({@code callInstanceId}), its progress becomes variables there and on the run
 * that made the call, its log messages become comments in the run's history.
 */
final class ActiveToolCall implements ToolCallListener {

    /** The human-as-model provider, the embedded default. */
    static final String HUMAN_PROVIDER = "human";
    /** Progress is written at most this often per call. */
    static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);
    /** A server may log this many messages into a run's history; the rest are counted. */
    static final int LOG_LIMIT = 200;

    private static final Logger LOG = Logger.getLogger(ActiveToolCall.class.getName());

    private final ProcessEngine engine;
    private final PendingQuestions pending;
    private final String externalTaskId;
    private final String callInstanceId;
    private final String runInstanceId;
    private final String serverName;
    private final String samplingProvider;
    private final ProgressCoalescer progress;
    private final AtomicInteger logged = new AtomicInteger();
    private final Predicate<String> providerKnown;

    ActiveToolCall(ProcessEngine engine, PendingQuestions pending, ScheduledExecutorService scheduler, String externalTaskId,
            String callInstanceId, String runInstanceId, String serverName, String samplingProvider,
            Predicate<String> providerKnown) {
        this.providerKnown = providerKnown;
        this.engine = engine;
        this.pending = pending;
        this.externalTaskId = externalTaskId;
        this.callInstanceId = callInstanceId;
        this.runInstanceId = runInstanceId;
        this.serverName = serverName;
        this.samplingProvider = samplingProvider == null || samplingProvider.isBlank() ? HUMAN_PROVIDER : samplingProvider.trim();
        this.progress = new ProgressCoalescer(PROGRESS_INTERVAL, this::writeProgress, scheduler);
    }

    private final CompletableFuture<Void> abandoned = new CompletableFuture<>();

    String externalTaskId() {
        return externalTaskId;
    }

    String callInstanceId() {
        return callInstanceId;
    }

    @Override
    public void taskCreated(String taskId) {
        engine.getRuntimeService().setVariableLocal(callInstanceId, McpToolCall.VAR_REMOTE_TASK, taskId);
        LOG.fine(() -> "MCP call " + callInstanceId + " is task " + taskId + " on server '" + serverName + "'");
    }

    @Override
    public CompletionStage<Void> abandoned() {
        return abandoned;
    }

    /** Nobody wants this call's outcome any more: its external task is gone (the run was cancelled). */
    void abandon() {
        abandoned.complete(null);
    }

    @Override
    public void roundAsked(String requestState, String inputRequestsJson) {
        List<String> answered = engine.getRuntimeService().getVariablesLocal(callInstanceId).keySet().stream()
                .filter(name -> name.startsWith(McpToolCall.VAR_INPUT_RESPONSE_PREFIX)).toList();
        engine.getRuntimeService().removeVariablesLocal(callInstanceId, answered);
        Map<String, Object> round = new HashMap<>();
        round.put(McpToolCall.VAR_REQUEST_STATE, McpToolCallWorker.text(requestState));
        round.put(McpToolCall.VAR_INPUT_REQUESTS, McpToolCallWorker.text(inputRequestsJson));
        engine.getRuntimeService().setVariablesLocal(callInstanceId, round);
    }

    @Override
    public CompletionStage<Answer> ask(String key, String method, Question question) {
        Map<String, Object> round = Map.of(McpToolCall.VAR_INPUT_KEY, key, McpToolCall.VAR_INPUT_METHOD, method);
        if (question instanceof Question.Form form) {
            return elicit(form, round);
        }
        if (question instanceof Question.Url url) {
            return elicitUrl(url, round);
        }
        return sample((Question.Sampling) question, round);
    }

    @Override
    public CompletionStage<Answer> elicit(Question.Form question) {
        return elicit(question, Map.of());
    }

    private CompletionStage<Answer> elicit(Question.Form question, Map<String, Object> round) {
        try {
            JsonAnswers.schema(question.requestedSchema());
        } catch (InvalidSchemaException | IllegalArgumentException e) {
            // Told to the server as the error of its request; nobody is asked a question that cannot be answered.
            return CompletableFuture.failedFuture(new IllegalArgumentException("Statehouse cannot show this requestedSchema: " + e.getMessage()));
        }
        Map<String, Object> variables = questionVariables(question.message());
        variables.put(McpToolCall.VAR_REQUESTED_SCHEMA, question.requestedSchema());
        variables.put(McpToolCall.VAR_CONTENT, null);
        variables.putAll(round);
        return ask(McpToolCall.TASK_ANSWER_ELICITATION, variables);
    }

    @Override
    public CompletionStage<Answer> elicitUrl(Question.Url question) {
        return elicitUrl(question, Map.of());
    }

    private CompletionStage<Answer> elicitUrl(Question.Url question, Map<String, Object> round) {
        Map<String, Object> variables = questionVariables(question.message());
        variables.putAll(round);
        variables.put(McpToolCall.VAR_URL, question.url());
        variables.put(McpToolCall.VAR_ELICITATION_ID, question.elicitationId());
        return ask(McpToolCall.TASK_VISIT_URL, variables);
    }

    @Override
    public void urlElicitationCompleted(String elicitationId) {
        // The elicitation id is local to its task's scope, which task queries by process variable do not see.
        List<Task> tasks = engine.getTaskService().createTaskQuery().processInstanceId(callInstanceId)
                .taskDefinitionKey(McpToolCall.TASK_VISIT_URL).list().stream()
                .filter(t -> elicitationId.equals(engine.getTaskService().getVariable(t.getId(), McpToolCall.VAR_ELICITATION_ID)))
                .toList();
        for (Task task : tasks) {
            engine.getTaskService().complete(task.getId(), Map.of(McpToolCall.VAR_ACTION, McpToolCall.ACTION_ACCEPT));
            LOG.fine(() -> "URL elicitation " + elicitationId + " completed by the server; task " + task.getId() + " closed");
        }
    }

    @Override
    public CompletionStage<Answer> sample(Question.Sampling question) {
        return sample(question, Map.of());
    }

    private CompletionStage<Answer> sample(Question.Sampling question, Map<String, Object> round) {
        if (!HUMAN_PROVIDER.equals(samplingProvider) && !providerKnown.test(samplingProvider)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "Sampling provider '" + samplingProvider + "' is not configured in this Statehouse (statehouse.sampling.providers)"));
        }
        Map<String, Object> variables = questionVariables(question.message());
        variables.put(McpToolCall.VAR_SAMPLING_REQUEST, question.request());
        variables.put(McpToolCall.VAR_REPLY, null);
        variables.put(McpToolCall.VAR_MODEL, null);
        variables.put(McpToolCall.VAR_STOP_REASON, null);
        variables.putAll(round);
        // At the review gateway, which decides whether a person approves the request before the provider answers.
        return ask(McpToolCall.GATEWAY_REVIEW_REQUEST, variables);
    }

    @Override
    public void progress(double value, Double total, String message) {
        progress.offer(new Progress(value, total, message));
    }

    @Override
    public void log(String level, String logger, String data) {
        int n = logged.incrementAndGet();
        if (n > LOG_LIMIT) {
            return;
        }
        String text = "[" + level + "] " + serverName + (logger == null ? "" : " " + logger) + ": " + data;
        if (n == LOG_LIMIT) {
            text = text + " (further log messages of this call are not recorded)";
        }
        engine.getTaskService().createComment(null, callInstanceId, text.length() > 3900 ? text.substring(0, 3900) + "…" : text);
    }

    /** Writes the last progress now; called before the call's outcome is recorded. */
    void finishProgress() {
        progress.close();
        LOG.fine(() -> "MCP call " + callInstanceId + ": " + progress.statistics());
    }

    /**
     * Closes the questions still open, recording why on each task and in the call's history, and
     * tells the server side's futures that nobody will answer.
     *
     * @return how many tasks were closed
     */
    int closeOpenQuestions(String reason) {
        List<Task> open = engine.getTaskService().createTaskQuery().processInstanceId(callInstanceId).list();
        if (open.isEmpty()) {
            return 0;
        }
        var modification = engine.getRuntimeService().createProcessInstanceModification(callInstanceId);
        for (Task task : open) {
            engine.getTaskService().setVariableLocal(task.getId(), McpToolCall.VAR_CLOSED_REASON, reason);
            engine.getTaskService().createComment(task.getId(), callInstanceId, "Closed by Statehouse: " + reason);
        }
        modification.cancelAllForActivity(McpToolCall.SUBPROCESS_ELICITATION)
                .cancelAllForActivity(McpToolCall.SUBPROCESS_URL_ELICITATION)
                .cancelAllForActivity(McpToolCall.SUBPROCESS_SAMPLING)
                .execute(true, true);
        return open.size();
    }

    private Map<String, Object> questionVariables(String message) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(McpToolCall.VAR_MESSAGE, message);
        variables.put(McpToolCall.VAR_ACTION, null);
        return variables;
    }

    private CompletionStage<Answer> ask(String taskActivity, Map<String, Object> variables) {
        String requestId = UUID.randomUUID().toString();
        variables.put(McpToolCall.VAR_REQUEST_ID, requestId);
        CompletableFuture<Answer> answer = pending.open(requestId, callInstanceId);
        try {
            engine.getRuntimeService().createProcessInstanceModification(callInstanceId)
                    .startBeforeActivity(taskActivity)
                    .setVariablesLocal(variables)
                    .execute();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not start task " + taskActivity + " in " + callInstanceId, e);
            answer.completeExceptionally(new IllegalStateException("Statehouse could not create the task for this request: " + e.getMessage()));
        }
        return answer;
    }

    private void writeProgress(Progress p) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(McpToolCall.VAR_PROGRESS, p.progress());
        variables.put(McpToolCall.VAR_PROGRESS_TOTAL, p.total());
        variables.put(McpToolCall.VAR_PROGRESS_MESSAGE, p.message());
        engine.getRuntimeService().setVariables(callInstanceId, variables);
        if (runInstanceId != null && !runInstanceId.equals(callInstanceId)) {
            try {
                engine.getRuntimeService().setVariables(runInstanceId, variables);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "The run " + runInstanceId + " takes no progress variables", e);
            }
        }
    }
}
