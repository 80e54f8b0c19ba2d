package io.statehouse.mcp.server.protocol.rounds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;

import io.statehouse.elicitation.AnswerViolatesSchemaException;
import io.statehouse.elicitation.InvalidSchemaException;
import io.statehouse.elicitation.RequestedSchema;
import io.statehouse.mcp.server.CallKeyConflictException;
import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.mcp.server.CallerChannel.CallerAnswer;
import io.statehouse.mcp.server.CallerChannel.SampledReply;
import io.statehouse.mcp.server.OpenQuestion;
import io.statehouse.mcp.server.ToolRun;
import io.statehouse.mcp.server.ToolRunResult;
import io.statehouse.mcp.server.ToolRuns;
import io.statehouse.progress.Progress;

/**
 * A process-backed tool called with multi round-trip requests: the call's state between rounds is
 * its run, and no connection waits for a person. Each request of the call (the first, or a retry
 * with {@code inputResponses} and {@code requestState}) goes on until the run ends, or until it
 * waits on tasks marked for the caller; those become the round's {@code inputRequests}, keyed by the
 * task's element id, all of them at once when several are open. A retry's answers complete their
 * tasks; the tasks stay in the Tasklist all the same, and whoever answers first wins.
 *
 * <p>A first request may bring answers already (keyed like the questions they answer): they are
 * used when their question comes. Answers for keys that are not asked are ignored.
 */
public final class ToolCallRounds {

    static final String ELICIT = "elicitation/create";
    static final String SAMPLE = "sampling/createMessage";
    static final String ROOTS = "roots/list";
    /** How a sampling or roots task is named among a round's questions: it is an external task, not a user task. */
    private static final String EXTERNAL = "external:";
    /** Why a run is cancelled when its caller closes the stream of the request in flight. */
    public static final String CLOSED_STREAM = "its caller closed the request's stream, which cancels the request (MCP 2026-07-28)";
    private static final Logger LOG = Logger.getLogger(ToolCallRounds.class.getName());

    private final ToolRuns runs;
    private final RequestStateCodec codec;
    private final Executor callbacks;
    /**
     * Sampling and roots tasks waiting for their caller, by run and element id. Their worker holds
     * the other end; the answer may come with a later request of the call, on another {@link Round}.
     */
    private final Map<String, ExternalAsk> externalAsks = new ConcurrentHashMap<>();

    /** What a sampling or roots task asks its caller, and the answer its worker waits for. */
    private sealed interface ExternalAsk permits SamplingAsk, RootsAsk {

        /** {@code sampling} or {@code roots}, as {@link ToolRuns#callerTasks} names the kinds. */
        String kind();

        /** The entry of {@code inputRequests}. */
        Map<String, Object> inputRequest();

        /**
         * Checks the caller's response; the returned action completes the worker's end with it.
         *
         * @throws InvalidInputResponseException when it does not fit (nothing is taken)
         */
        Runnable taking(String key, Object response) throws InvalidInputResponseException;
    }

    private record SamplingAsk(String systemPrompt, String prompt, int maxTokens, CompletableFuture<SampledReply> reply) implements ExternalAsk {

        @Override
        public String kind() {
            return "sampling";
        }

        @Override
        public Map<String, Object> inputRequest() {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("messages", List.of(Map.of("role", "user", "content", Map.of("type", "text", "text", prompt))));
            if (systemPrompt != null) {
                params.put("systemPrompt", systemPrompt);
            }
            params.put("maxTokens", maxTokens);
            return Map.of("method", SAMPLE, "params", params);
        }

        @Override
        public Runnable taking(String key, Object response) throws InvalidInputResponseException {
            if (response instanceof Map<?, ?> result && result.get("content") instanceof Map<?, ?> content && "text".equals(content.get("type"))
                    && content.get("text") instanceof String text) {
                SampledReply taken = new SampledReply(text, result.get("model") == null ? "unknown" : result.get("model").toString());
                return () -> reply.complete(taken);
            }
            throw new InvalidInputResponseException("inputResponses." + key + " is not a sampling result with text content"
                    + " ({\"role\": \"assistant\", \"content\": {\"type\": \"text\", \"text\": …}, \"model\": …})");
        }
    }

    private record RootsAsk(CompletableFuture<List<Map<String, Object>>> roots) implements ExternalAsk {

        @Override
        public String kind() {
            return "roots";
        }

        @Override
        public Map<String, Object> inputRequest() {
            return Map.of("method", ROOTS, "params", Map.of());
        }

        @Override
        @SuppressWarnings("unchecked")
        public Runnable taking(String key, Object response) throws InvalidInputResponseException {
            if (response instanceof Map<?, ?> result && result.get("roots") instanceof List<?> listed
                    && listed.stream().allMatch(r -> r instanceof Map<?, ?> root && root.get("uri") instanceof String)) {
                List<Map<String, Object>> taken = (List<Map<String, Object>>) listed;
                return () -> roots.complete(taken);
            }
            throw new InvalidInputResponseException("inputResponses." + key + " is not a roots result ({\"roots\": [{\"uri\": …}]})");
        }
    }

    public ToolCallRounds(ToolRuns runs, RequestStateCodec codec) {
        this(runs, codec, Runnable::run);
    }

    /** @param callbacks where a request that becomes a task goes on (the container's managed executor) */
    public ToolCallRounds(ToolRuns runs, RequestStateCodec codec, Executor callbacks) {
        this.runs = Objects.requireNonNull(runs, "runs");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    }

    /**
     * One request of a tool call.
     *
     * @param inputResponses answers by question key, or null
     * @param requestState   the state of the round answered, or null for a first request
     * @param canElicit      whether the client declared elicitation for this request
     * @param canSample      whether the client declared sampling for this request
     * @param canListRoots   whether the client declared roots for this request
     * @param canTask        whether the client declared the tasks extension for this request: a run that goes on
     *                       working, without a question for the caller, becomes a task instead of holding the request open
     * @param callKey        the caller's idempotency key, or null: a first request that repeats an earlier one's key
     *                       gets that request's run
     */
    public record Request(String tool, Map<String, Object> arguments, Map<String, Object> inputResponses, String requestState,
            String user, boolean canElicit, boolean canSample, boolean canListRoots, boolean canTask, String callKey) {
    }

    /** What a request came to: the run's end, a round of questions, or a run that goes on as a task. */
    public sealed interface Outcome permits Complete, InputRequired, Working {
    }

    /**
     * The run goes on working without a question for its caller, who declared the tasks extension: the
     * call answers with a task that follows the run.
     */
    public record Working(String runId) implements Outcome {
    }

    /** How long a request of a task-declaring caller waits for a run to end or to ask before it becomes a task. */
    static final long TASK_AFTER_MILLIS = 300;

    /** The run ended; its result answers the call. */
    public record Complete(ToolRunResult result) implements Outcome {
    }

    /**
     * The run waits for the caller.
     *
     * @param inputRequests by key, each {@code {method, params}}
     */
    public record InputRequired(Map<String, Object> inputRequests, String requestState) implements Outcome {
    }

    /**
     * Runs one request of a call.
     *
     * @param progress hears the run's progress while the request is open
     * @param gone     completes when the client has gone away: the run goes on, without telling it anything
     * @throws InvalidRequestStateException  when the retry's state is not taken (nothing changed)
     * @throws InvalidInputResponseException when an answer does not fit its question (nothing changed)
     * @throws IllegalArgumentException      for an unknown tool or arguments its process refuses
     * @throws CallKeyConflictException      when the request's key is an earlier call's with another tool or other arguments
     */
    public CompletionStage<Outcome> call(Request request, Consumer<Progress> progress, CompletionStage<?> gone)
            throws InvalidRequestStateException, InvalidInputResponseException {
        String binding = "tools/call " + request.tool();
        Map<String, Object> responses = request.inputResponses() == null ? Map.of() : request.inputResponses();
        Round round = new Round(request, progress);
        ToolRun run;
        if (request.requestState() != null) {
            RoundState state = codec.verify(request.requestState(), request.user(), binding, runs::round);
            Map<String, OpenQuestion> open = new LinkedHashMap<>();
            runs.openQuestions(state.runId()).forEach(q -> open.put(q.taskId(), q));
            Map<String, Map<String, Object>> answers = new LinkedHashMap<>();
            List<Runnable> external = new ArrayList<>();
            for (RoundState.Question asked : state.questions()) {
                if (asked.taskId().startsWith(EXTERNAL)) {
                    // A sampling or roots task whose worker asked on another node, or before a restart, is asked again by that worker.
                    String id = state.runId() + "/" + asked.key();
                    ExternalAsk ask = externalAsks.get(id);
                    Object response = responses.get(asked.key());
                    if (ask != null && response != null) {
                        Runnable take = ask.taking(asked.key(), response);
                        external.add(() -> {
                            if (externalAsks.remove(id, ask)) {
                                take.run();
                            }
                        });
                    }
                    continue;
                }
                OpenQuestion question = open.get(asked.taskId());
                Object response = responses.get(asked.key());
                if (question == null || response == null) {
                    continue;
                }
                CallerAnswer answer = answer(asked.key(), question, response);
                if (answer.accepted()) {
                    answers.put(asked.taskId(), answer.content());
                } else {
                    round.declined.add(asked.taskId());
                }
            }
            // One use: the round is redeemed before its answers are taken, by one request only.
            if (!runs.redeem(state.runId(), state.round())) {
                throw new InvalidRequestStateException(InvalidRequestStateException.Reason.ALREADY_USED,
                        "The requestState of this round was used already; retry with the requestState of the latest answer");
            }
            run = runs.resume(state.runId(), round);
            answers.forEach(round::take);
            external.forEach(Runnable::run);
        } else {
            round.upfront.putAll(responses);
            run = runs.start(request.tool(), request.arguments(), request.user(), round, request.callKey());
        }
        round.run = run;
        gone.whenComplete((done, failure) -> {
            // MCP 2026-07-28: a client that closes the request's stream cancels the request; once it was
            // answered (a round, a task, the result) the stream's end is only that.
            if (!round.outcome.isDone()) {
                round.outcome.cancel(false);
                try {
                    runs.cancel(run.runId(), CLOSED_STREAM);
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Run " + run.runId() + " could not be cancelled after its caller closed the stream", e);
                }
            }
            round.finish();
        });
        round.next();
        return round.outcome.whenComplete((outcome, failure) -> round.finish());
    }

    /** An elicitation result for a question, checked against its schema (a task's {@code tasks/update} as much as a round's retry). */
    public static CallerAnswer answer(String key, OpenQuestion question, Object response) throws InvalidInputResponseException {
        if (!(response instanceof Map<?, ?> result) || !(result.get("action") instanceof String action)) {
            throw new InvalidInputResponseException("inputResponses." + key + " is not an elicitation result ({\"action\": …, \"content\": …})");
        }
        switch (action) {
            case "accept" -> {
                Object content = result.get("content");
                if (content != null && !(content instanceof Map)) {
                    throw new InvalidInputResponseException("inputResponses." + key + ".content is not an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> values = content == null ? Map.of() : (Map<String, Object>) content;
                try {
                    RequestedSchema.parse(Json.createObjectBuilder(question.requestedSchema()).build()).validate(values);
                } catch (AnswerViolatesSchemaException e) {
                    throw new InvalidInputResponseException("inputResponses." + key + ": " + e.getMessage());
                } catch (InvalidSchemaException e) {
                    LOG.log(Level.WARNING, "The form of task " + question.taskId() + " makes no schema Statehouse can check; the form checks the answer", e);
                }
                return new CallerAnswer(true, values);
            }
            case "decline", "cancel" -> {
                return new CallerAnswer(false, Map.of());
            }
            default -> throw new InvalidInputResponseException("inputResponses." + key + ".action is '" + action
                    + "', not accept, decline or cancel");
        }
    }

    /** One request of a call, as the run's caller for as long as the request is open. */
    private final class Round implements CallerChannel {
        private final Request request;
        private final Consumer<Progress> progress;
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        /** Completes when the run asks its caller something; replaced before each look at the open questions. */
        private final AtomicReference<CompletableFuture<Void>> asked = new AtomicReference<>(new CompletableFuture<>());
        final Map<String, Object> upfront = new LinkedHashMap<>();
        final Set<String> declined = new HashSet<>();
        volatile ToolRun run;
        private volatile boolean finished;

        Round(Request request, Consumer<Progress> progress) {
            this.request = request;
            this.progress = progress;
        }

        /** Answers the run's open questions with what the caller sent ahead, then waits for the end or for questions. */
        void next() {
            if (outcome.isDone()) {
                return;
            }
            asked.set(new CompletableFuture<>());
            List<OpenQuestion> questions = new ArrayList<>();
            boolean answered = false;
            for (OpenQuestion question : runs.openQuestions(run.runId())) {
                Object ahead = upfront.remove(question.key());
                if (ahead != null) {
                    try {
                        CallerAnswer answer = answer(question.key(), question, ahead);
                        if (answer.accepted()) {
                            answered |= take(question.taskId(), answer.content());
                            continue;
                        }
                        declined.add(question.taskId());
                    } catch (InvalidInputResponseException e) {
                        LOG.fine(() -> "An answer sent ahead does not fit; the question is asked: " + e.getMessage());
                    }
                }
                if (!declined.contains(question.taskId())) {
                    questions.add(question);
                }
            }
            Map<String, ExternalAsk> external = new LinkedHashMap<>();
            String prefix = run.runId() + "/";
            for (var each : List.copyOf(externalAsks.entrySet())) {
                if (!each.getKey().startsWith(prefix) || !answers(each.getValue().kind())) {
                    continue;
                }
                String key = each.getKey().substring(prefix.length());
                Object ahead = upfront.remove(key);
                if (ahead != null) {
                    try {
                        Runnable take = each.getValue().taking(key, ahead);
                        if (externalAsks.remove(each.getKey(), each.getValue())) {
                            take.run();
                        }
                        answered = true;
                        continue;
                    } catch (InvalidInputResponseException e) {
                        LOG.fine(() -> "An answer sent ahead does not fit; it is asked: " + e.getMessage());
                    }
                }
                external.put(key, each.getValue());
            }
            // Sampling and roots tasks reach the caller through their worker, a moment later: a round waits for them, so that all go out together.
            boolean coming = runs.callerTasks(run.runId()).entrySet().stream()
                    .anyMatch(task -> answers(task.getValue()) && !external.containsKey(task.getKey()));
            if (answered) {
                next();
            } else if (!coming && ((request.canElicit() && !questions.isEmpty()) || !external.isEmpty())) {
                ask(request.canElicit() ? questions : List.of(), external);
            } else {
                // A caller that follows tasks is not kept waiting: a run that goes on working becomes its task.
                CompletableFuture<Object> becomesTask = request.canTask()
                        ? CompletableFuture.supplyAsync(() -> Boolean.TRUE,
                                CompletableFuture.delayedExecutor(TASK_AFTER_MILLIS, TimeUnit.MILLISECONDS, callbacks))
                        : new CompletableFuture<>();
                CompletableFuture.anyOf(run.ended().toCompletableFuture(), asked.get(), becomesTask).whenComplete((any, failure) -> {
                    if (!run.ended().toCompletableFuture().isDone() && !asked.get().isDone() && becomesTask.isDone()) {
                        outcome.complete(new Working(run.runId()));
                        return;
                    }
                    if (run.ended().toCompletableFuture().isDone()) {
                        run.ended().whenComplete((result, error) -> {
                            if (error != null) {
                                outcome.completeExceptionally(error);
                            } else {
                                outcome.complete(new Complete(result));
                            }
                        });
                    } else {
                        next();
                    }
                });
            }
        }

        /** Completes the task with the caller's answer; false when someone answered it first or the form refused it (it is asked again). */
        boolean take(String taskId, Map<String, Object> content) {
            try {
                runs.answer(taskId, content);
                return true;
            } catch (IllegalStateException e) {
                LOG.fine(() -> "Task " + taskId + " was answered in the Tasklist first: " + e.getMessage());
                return false;
            } catch (IllegalArgumentException e) {
                LOG.info(() -> "The caller's answer to task " + taskId + " was refused by its form, so it is asked again: " + e.getMessage());
                return false;
            }
        }

        /** Whether this request's caller answers an external task of the kind ({@code sampling} or {@code roots}). */
        private boolean answers(String kind) {
            return "sampling".equals(kind) ? request.canSample() : "roots".equals(kind) && request.canListRoots();
        }

        private void ask(List<OpenQuestion> questions, Map<String, ExternalAsk> external) {
            String id = UUID.randomUUID().toString();
            Map<String, Object> inputRequests = new LinkedHashMap<>();
            List<RoundState.Question> asked = new ArrayList<>();
            for (OpenQuestion question : questions) {
                inputRequests.put(question.key(), Map.of("method", ELICIT,
                        "params", Map.of("mode", "form", "message", question.message(), "requestedSchema", question.requestedSchema())));
                asked.add(new RoundState.Question(question.taskId(), question.key()));
            }
            external.forEach((key, ask) -> {
                inputRequests.put(key, ask.inputRequest());
                asked.add(new RoundState.Question(EXTERNAL + key, key));
            });
            runs.round(run.runId(), id);
            String state = codec.mint(new RoundState(run.runId(), id, asked), request.user(), "tools/call " + request.tool());
            LOG.fine(() -> "Run " + run.runId() + " asks its caller " + inputRequests.keySet() + " (round " + id + ")");
            outcome.complete(new InputRequired(inputRequests, state));
        }

        void finish() {
            if (!finished && run != null) {
                finished = true;
                runs.release(run.runId(), this);
            }
        }

        @Override
        public boolean canElicit() {
            return request.canElicit();
        }

        @Override
        public CompletionStage<CallerAnswer> elicit(String message, Map<String, Object> requestedSchema) {
            asked.get().complete(null);
            // The answer comes with the next request, which completes the task itself.
            return new CompletableFuture<>();
        }

        @Override
        public boolean canSample() {
            return request.canSample();
        }

        @Override
        public CompletionStage<SampledReply> sample(String systemPrompt, String prompt, int maxTokens) {
            return CompletableFuture.failedFuture(new IllegalStateException("A sampling task of a call in rounds names its run and element"));
        }

        @Override
        public boolean canListRoots() {
            return request.canListRoots();
        }

        @Override
        public CompletionStage<List<Map<String, Object>>> roots(String runId, String key) {
            RootsAsk ask = new RootsAsk(new CompletableFuture<>());
            externalAsks.put(runId + "/" + key, ask);
            asked.get().complete(null);
            return ask.roots();
        }

        @Override
        public CompletionStage<SampledReply> sample(String runId, String key, String systemPrompt, String prompt, int maxTokens) {
            SamplingAsk ask = new SamplingAsk(systemPrompt, prompt, maxTokens, new CompletableFuture<>());
            externalAsks.put(runId + "/" + key, ask);
            asked.get().complete(null);
            return ask.reply();
        }

        @Override
        public void progress(double value, Double total, String message) {
            if (!finished) {
                progress.accept(new Progress(value, total, message));
            }
        }

        @Override
        public void log(String message) {
            // 2026-07-28: without a log level in the request's _meta, a server sends no log messages.
        }
    }
}
