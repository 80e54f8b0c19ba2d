package io.statehouse.mcp.server.protocol;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalog;
import io.statehouse.catalog.CatalogPrompt;
import io.statehouse.catalog.Contents;
import io.statehouse.mcp.http.McpHeaders;
import io.statehouse.mcp.server.CallKeyConflictException;
import io.statehouse.mcp.server.ToolDefinition;
import io.statehouse.mcp.server.ToolRun;
import io.statehouse.mcp.server.ToolRunResult;
import io.statehouse.mcp.server.ToolRuns;
import io.statehouse.mcp.server.protocol.rounds.InvalidInputResponseException;
import io.statehouse.mcp.server.protocol.rounds.InvalidRequestStateException;
import io.statehouse.mcp.server.protocol.rounds.ToolCallRounds;

/**
 * MCP 2026-07-28 at the same endpoint as the stateful era: no {@code initialize} and no session;
 * each request carries its protocol version and the client's capabilities in {@code _meta}, and is
 * answered on its own. A tool call that waits for its caller answers with a round of questions
 * ({@link ToolCallRounds}); one that waits for the Tasklist keeps its response stream open, as in
 * the stateful era, without a thread.
 */
public final class StatelessServer {

    public static final String VERSION = "2026-07-28";
    /** What a client that finds this server may speak, newest first. */
    public static final List<String> SUPPORTED = List.of(VERSION, "2025-11-25", "2025-06-18", "2025-03-26");

    static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String META_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String META_SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final int HEADER_MISMATCH = McpHeaders.HEADER_MISMATCH;
    static final int MISSING_CAPABILITY = -32021;
    /** The key of the round that asks for a prompt's missing arguments. */
    static final String PROMPT_ARGUMENTS = "prompt_arguments";
    public static final int UNSUPPORTED_VERSION = McpHeaders.UNSUPPORTED_VERSION;

    private static final Logger LOG = Logger.getLogger(StatelessServer.class.getName());
    /** Tools and the catalog follow deployments, which the server checks every 5 s: a client may keep a list that long. */
    private static final int TOOLS_TTL_MS = (int) TimeUnit.SECONDS.toMillis(DeploymentWatcher.INTERVAL_SECONDS);

    private final ToolRuns runs;
    private final ToolCallRounds rounds;
    private final McpJsonMapper json;
    private final Executor engine;
    private final Supplier<Catalog> catalog;
    private final ToolCallTasks tasks;
    private final ScheduledExecutorService scheduler;
    /** The open {@code subscriptions/listen} streams. */
    private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();

    /**
     * An open {@code subscriptions/listen} stream: what it agreed to hear, and where it goes.
     *
     * @param id the listen request's JSON-RPC id, which tags every notification on its stream
     */
    private record Listener(Object id, Map<String, Object> agreed, Consumer<Map<String, Object>> stream) {
    }

    /** @param catalog the MCP catalog in force (resources, templates, prompts), as the stateful era serves it */
    public StatelessServer(ToolRuns runs, ToolCallRounds rounds, Executor engine, Supplier<Catalog> catalog) {
        this(runs, rounds, engine, catalog, Duration.ofSeconds(1), Optional.empty(), null);
    }

    /**
     * @param taskPollInterval how often a caller that follows a task is asked to poll it
     * @param taskTtl          how long after its creation a task is served; empty: as long as its run's history is kept
     * @param scheduler        where listen streams that follow tasks look at them (the container's managed scheduler); null: they are not followed
     */
    public StatelessServer(ToolRuns runs, ToolCallRounds rounds, Executor engine, Supplier<Catalog> catalog, Duration taskPollInterval,
            Optional<Duration> taskTtl, ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        this.runs = Objects.requireNonNull(runs);
        this.rounds = Objects.requireNonNull(rounds);
        this.json = McpJsonDefaults.getMapper();
        this.engine = Objects.requireNonNull(engine);
        this.catalog = Objects.requireNonNull(catalog);
        this.tasks = new ToolCallTasks(runs, json, taskPollInterval, taskTtl, Clock.systemUTC());
    }

    /** A request's answer: at once, with its HTTP status, or later on an event stream. */
    public sealed interface Reply permits Now, Later {
    }

    /** @param body a JSON-RPC response (result or error) */
    public record Now(int status, Map<String, Object> body) implements Reply {
    }

    /** @param body completes with the JSON-RPC response; notifications before it go out on the stream */
    public record Later(CompletionStage<Map<String, Object>> body) implements Reply {
    }

    /**
     * SEP-2243: a request whose {@code Mcp-Method}, {@code Mcp-Name} or {@code Mcp-Param-*} headers
     * are missing or say otherwise than its body is refused (HTTP 400, {@value #HEADER_MISMATCH})
     * before anything runs, so that what a balancer or gateway routed on is what Statehouse does.
     *
     * @param header a request header by its name, case-insensitive, or null when absent
     * @return the refusal, or empty when the headers agree with the body
     */
    public Optional<Now> headerMismatch(McpSchema.JSONRPCRequest call, Function<String, String> header) {
        Map<String, Object> params = call.params() instanceof Map<?, ?> ? json.convertValue(call.params(), new TypeRef<Map<String, Object>>() { }) : Map.of();
        List<McpHeaders.Param> toolHeaders = List.of();
        if (McpSchema.METHOD_TOOLS_CALL.equals(call.method()) && params.get("name") instanceof String name) {
            toolHeaders = runs.tools().stream().filter(tool -> tool.name().equals(name)).findFirst()
                    .map(tool -> McpHeaders.params(tool.inputSchema())).orElse(List.of());
        }
        return McpHeaders.mismatch(header, call.method(), params, toolHeaders)
                .map(why -> new Now(400, error(call.id(), HEADER_MISMATCH, "Header mismatch: " + why, null)));
    }

    /**
     * @param headerVersion the request's {@code MCP-Protocol-Version} header
     * @param user          who called, as authenticated
     * @param notify        sends a notification on the request's stream
     * @param gone          completes when the client has gone away
     */
    public Reply handle(McpSchema.JSONRPCRequest call, String headerVersion, String user, Consumer<Map<String, Object>> notify, CompletionStage<?> gone) {
        Map<String, Object> params = call.params() instanceof Map<?, ?> ? json.convertValue(call.params(), new TypeRef<Map<String, Object>>() { }) : Map.of();
        Map<?, ?> meta = params.get("_meta") instanceof Map<?, ?> m ? m : null;
        if (meta == null || !(meta.get(META_VERSION) instanceof String version) || !(meta.get(META_CAPABILITIES) instanceof Map<?, ?> capabilities)) {
            return new Now(400, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "A " + VERSION + " request carries "
                    + META_VERSION + " and " + META_CAPABILITIES + " in params._meta", null));
        }
        if (!version.equals(headerVersion)) {
            return new Now(400, error(call.id(), HEADER_MISMATCH, "The MCP-Protocol-Version header (" + headerVersion
                    + ") and params._meta." + META_VERSION + " (" + version + ") differ", null));
        }
        if (user == null) {
            return new Now(401, error(call.id(), McpSchema.ErrorCodes.INVALID_REQUEST, "Not authenticated", null));
        }
        switch (call.method()) {
            case "server/discover" -> {
                Map<String, Object> result = complete();
                result.put("supportedVersions", SUPPORTED);
                Map<String, Object> offered = ServerIdentity.statelessCapabilities(json);
                // The tasks extension: a long tool call is followed as a task (tasks/get, tasks/update, tasks/cancel).
                offered.put("extensions", Map.of(ToolCallTasks.EXTENSION, Map.of()));
                result.put("capabilities", offered);
                result.put("instructions", ServerIdentity.INSTRUCTIONS);
                result.put("ttlMs", 0);
                result.put("cacheScope", "public");
                return new Now(200, success(call.id(), result));
            }
            case McpSchema.METHOD_TOOLS_LIST -> {
                Map<String, Object> result = complete();
                result.put("tools", runs.tools().stream().map(ToolResults::tool).toList());
                result.put("ttlMs", TOOLS_TTL_MS);
                result.put("cacheScope", "private");
                return new Now(200, success(call.id(), result));
            }
            case McpSchema.METHOD_TOOLS_CALL -> {
                return call(call, params, meta, capabilities, user, notify, gone);
            }
            case "tasks/get", "tasks/update", "tasks/cancel" -> {
                // The capability first: a caller that did not declare the extension learns nothing of any task.
                if (!ToolCallTasks.declared(capabilities)) {
                    return ToolCallTasks.undeclared(call.id(), call.method());
                }
                return tasks.handle(call, params, user);
            }
            case "subscriptions/listen" -> {
                return listen(call, params, capabilities, user, notify, gone);
            }
            case McpSchema.METHOD_RESOURCES_LIST -> {
                return cacheable(call, "resources", catalog.get().resources().stream().map(CatalogFeatures::resource).toList());
            }
            case McpSchema.METHOD_RESOURCES_TEMPLATES_LIST -> {
                return cacheable(call, "resourceTemplates", catalog.get().templates().stream().map(CatalogFeatures::template).toList());
            }
            case McpSchema.METHOD_RESOURCES_READ -> {
                String uri = params.get("uri") instanceof String u ? u : null;
                var contents = uri == null ? Optional.<Contents>empty() : catalog.get().read(uri);
                if (contents.isEmpty()) {
                    return new Now(200, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "Resource not found: " + uri,
                            uri == null ? null : Map.of("uri", uri)));
                }
                return cacheable(call, "contents", List.of(CatalogFeatures.contents(uri, contents.get())));
            }
            case McpSchema.METHOD_PROMPT_LIST -> {
                return cacheable(call, "prompts", catalog.get().prompts().stream().map(CatalogFeatures::prompt).toList());
            }
            case McpSchema.METHOD_PROMPT_GET -> {
                var current = catalog.get();
                String name = params.get("name") instanceof String n ? n : "";
                var prompt = current.prompt(name);
                if (prompt.isEmpty()) {
                    return new Now(200, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "Unknown prompt '" + name + "'", null));
                }
                try {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> given = params.get("arguments") instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of();
                    Map<String, Object> arguments = new LinkedHashMap<>(given);
                    Object answered = params.get("inputResponses") instanceof Map<?, ?> responses ? responses.get(PROMPT_ARGUMENTS) : null;
                    if (answered instanceof Map<?, ?> answer && "accept".equals(answer.get("action")) && answer.get("content") instanceof Map<?, ?> content) {
                        content.forEach((key, value) -> arguments.putIfAbsent(String.valueOf(key), value));
                    }
                    List<CatalogPrompt.Argument> missing = prompt.get().arguments().stream()
                            .filter(a -> a.required() && (arguments.get(a.name()) == null || arguments.get(a.name()).toString().isBlank())).toList();
                    if (!missing.isEmpty() && capabilities.get("elicitation") != null) {
                        return new Now(200, success(call.id(), askForArguments(prompt.get(), missing)));
                    }
                    Map<String, Object> result = complete();
                    if (prompt.get().description() != null) {
                        result.put("description", prompt.get().description());
                    }
                    result.put("messages", prompt.get().render(arguments, current).stream().map(CatalogFeatures::message).toList());
                    return new Now(200, success(call.id(), json.convertValue(result, new TypeRef<Map<String, Object>>() { })));
                } catch (IllegalArgumentException e) {
                    return new Now(200, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), null));
                }
            }
            case McpSchema.METHOD_COMPLETION_COMPLETE -> {
                try {
                    Object completion = new CatalogCompletions(json, catalog).answer(params).block();
                    Map<String, Object> result = json.convertValue(completion, new TypeRef<Map<String, Object>>() { });
                    result.putAll(complete());
                    return new Now(200, success(call.id(), result));
                } catch (McpError e) {
                    return new Now(200, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), null));
                }
            }
            default -> {
                return new Now(404, error(call.id(), McpSchema.ErrorCodes.METHOD_NOT_FOUND, "Method not found in MCP " + VERSION + ": " + call.method(), null));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Reply call(McpSchema.JSONRPCRequest call, Map<String, Object> params, Map<?, ?> meta, Map<?, ?> capabilities, String user,
            Consumer<Map<String, Object>> notify, CompletionStage<?> gone) {
        if (!(params.get("name") instanceof String tool)) {
            return new Now(400, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "tools/call needs params.name", null));
        }
        Object responses = params.get("inputResponses");
        if (responses != null && !(responses instanceof Map)) {
            return new Now(200, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "params.inputResponses is not an object", null));
        }
        Object state = params.get("requestState");
        if (state != null && !(state instanceof String)) {
            return new Now(200, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "params.requestState is not a string", null));
        }
        var definition = runs.tools().stream().filter(t -> t.name().equals(tool)).findFirst();
        boolean canTask = ToolCallTasks.declared(capabilities);
        List<String> missing = definition.map(d -> d.undeclared(c -> "tasks".equals(c) ? canTask : capabilities.get(c) != null)).orElse(List.of());
        if (!missing.isEmpty()) {
            Map<String, Object> required = new LinkedHashMap<>();
            missing.forEach(c -> {
                if ("tasks".equals(c)) {
                    required.putAll(ToolCallTasks.required());
                } else {
                    required.put(c, Map.of());
                }
            });
            return new Now(400, error(call.id(), MISSING_CAPABILITY, "Tool '" + tool + "' needs the client capabilities " + missing
                    + ", which this request does not declare", Map.of("requiredCapabilities", required)));
        }
        String callKey;
        try {
            callKey = IdempotencyKeys.of(meta, params);
        } catch (IllegalArgumentException e) {
            return new Now(400, error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), null));
        }
        Object arguments = params.get("arguments");
        Object progressToken = meta.get("progressToken");
        ToolCallRounds.Request request = new ToolCallRounds.Request(tool, arguments instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of(),
                (Map<String, Object>) responses, (String) state, user, capabilities.get("elicitation") != null,
                capabilities.get("sampling") != null, capabilities.get("roots") != null, canTask, callKey);
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        if (canTask && responses == null && state == null && definition.map(ToolDefinition::taskAtOnce).orElse(false)) {
            engine.execute(() -> taskAtOnce(call, request, answer));
            return new Later(answer);
        }
        // The run starts (or takes the answers) on an engine thread, not on the container's request thread.
        engine.execute(() -> {
            try {
                rounds.call(request, progress -> {
                    if (progressToken != null) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        values.put("progressToken", progressToken);
                        values.put("progress", progress.progress());
                        if (progress.total() != null) {
                            values.put("total", progress.total());
                        }
                        if (progress.message() != null) {
                            values.put("message", progress.message());
                        }
                        notify.accept(Map.of("jsonrpc", McpSchema.JSONRPC_VERSION, "method", McpSchema.METHOD_NOTIFICATION_PROGRESS, "params", values));
                    }
                }, gone).whenComplete((outcome, failure) -> {
                    if (failure instanceof CancellationException || failure != null && failure.getCause() instanceof CancellationException) {
                        // The caller closed the stream: its run is cancelled, and nobody reads an answer.
                        answer.complete(error(call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The request was cancelled: " + ToolCallRounds.CLOSED_STREAM, null));
                    } else if (failure != null) {
                        LOG.log(Level.WARNING, "tools/call " + tool + " failed", failure);
                        answer.complete(success(call.id(), toolError("The call failed: " + failure.getMessage())));
                    } else if (outcome instanceof ToolCallRounds.Complete complete) {
                        Map<String, Object> result = json.convertValue(ToolResults.result(json, complete.result()), new TypeRef<Map<String, Object>>() { });
                        result.putAll(complete());
                        answer.complete(success(call.id(), result));
                    } else if (outcome instanceof ToolCallRounds.Working working) {
                        engine.execute(() -> answer.complete(becameTask(call, request, working.runId())));
                    } else if (outcome instanceof ToolCallRounds.InputRequired round) {
                        Map<String, Object> result = new LinkedHashMap<>();
                        result.put("resultType", "input_required");
                        result.put("inputRequests", round.inputRequests());
                        result.put("requestState", round.requestState());
                        result.put("_meta", Map.of(META_SERVER_INFO, ServerIdentity.serverInfo()));
                        answer.complete(success(call.id(), result));
                    }
                });
            } catch (InvalidRequestStateException e) {
                answer.complete(error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(),
                        Map.of("reason", "invalid_request_state", "detail", e.reason().name().toLowerCase(Locale.ROOT))));
            } catch (InvalidInputResponseException e) {
                answer.complete(error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), Map.of("reason", "invalid_input_response")));
            } catch (CallKeyConflictException e) {
                answer.complete(keyConflict(call, e));
            } catch (IllegalArgumentException e) {
                answer.complete(success(call.id(), toolError(e.getMessage())));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tools/call " + tool + " failed", e);
                answer.complete(error(call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The call failed: " + e.getMessage(), null));
            }
        });
        return new Later(answer);
    }

    /** A call of a tool that is a task from its start: the run starts with no caller, and the task is the answer. */
    private void taskAtOnce(McpSchema.JSONRPCRequest call, ToolCallRounds.Request request, CompletableFuture<Map<String, Object>> answer) {
        try {
            ToolRun run = runs.start(request.tool(), request.arguments(), request.user(), null, request.callKey());
            answer.complete(becameTask(call, request, run.runId()));
        } catch (CallKeyConflictException e) {
            answer.complete(keyConflict(call, e));
        } catch (IllegalArgumentException e) {
            answer.complete(success(call.id(), toolError(e.getMessage())));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tools/call " + request.tool() + " failed", e);
            answer.complete(error(call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The call failed: " + e.getMessage(), null));
        }
    }

    private static Map<String, Object> keyConflict(McpSchema.JSONRPCRequest call, CallKeyConflictException e) {
        return error(call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, e.getMessage(), Map.of("reason", "idempotency_conflict"));
    }

    /**
     * The answer to a call whose run goes on as a task: the task, once it is kept on the run (committed,
     * so that a {@code tasks/get} on any node finds it at once); the run's result if it ended meanwhile.
     */
    private Map<String, Object> becameTask(McpSchema.JSONRPCRequest call, ToolCallRounds.Request request, String runId) {
        try {
            String taskId = runs.createTask(runId);
            var task = runs.task(taskId, request.user());
            if (task.isPresent()) {
                return success(call.id(), tasks.created(task.get()));
            }
            return error(call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The task of run " + runId + " could not be read back", null);
        } catch (IllegalStateException ended) {
            try {
                ToolRunResult result = runs.resume(runId, null).ended().toCompletableFuture().get(30, TimeUnit.SECONDS);
                Map<String, Object> complete = json.convertValue(ToolResults.result(json, result), new TypeRef<Map<String, Object>>() { });
                complete.putAll(complete());
                return success(call.id(), complete);
            } catch (Exception e) {
                return error(call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "Run " + runId + " ended, and its result could not be read: " + e.getMessage(), null);
            }
        }
    }

    /**
     * Opens a {@code subscriptions/listen} stream: acknowledged at once with what it will hear, then
     * open until the client goes away, carrying the list changes and resource updates it asked for.
     */
    private Reply listen(McpSchema.JSONRPCRequest call, Map<String, Object> params, Map<?, ?> capabilities, String user,
            Consumer<Map<String, Object>> notify, CompletionStage<?> gone) {
        Map<?, ?> filter = params.get("notifications") instanceof Map<?, ?> f ? f : Map.of();
        List<String> taskIds = List.of();
        if (filter.get("taskIds") instanceof List<?> asked && !asked.isEmpty()) {
            if (!ToolCallTasks.declared(capabilities)) {
                return ToolCallTasks.undeclared(call.id(), "Listening to tasks");
            }
            // Only the caller's own tasks: any other id is left out of the acknowledgement, as if it did not exist.
            taskIds = asked.stream().map(String::valueOf).distinct().filter(id -> tasks.find(id, user).isPresent()).toList();
        }
        Map<String, Object> agreed = new LinkedHashMap<>();
        for (String kind : List.of("toolsListChanged", "promptsListChanged", "resourcesListChanged")) {
            if (Boolean.TRUE.equals(filter.get(kind))) {
                agreed.put(kind, true);
            }
        }
        if (filter.get("resourceSubscriptions") instanceof List<?> uris && !uris.isEmpty()) {
            agreed.put("resourceSubscriptions", uris.stream().map(String::valueOf).toList());
        }
        if (!taskIds.isEmpty()) {
            agreed.put("taskIds", taskIds);
        }
        Listener listener = new Listener(call.id(), agreed, notify);
        notify.accept(notification("notifications/subscriptions/acknowledged", Map.of("notifications", agreed), call.id()));
        listeners.add(listener);
        Runnable stopWatching = taskIds.isEmpty() || scheduler == null ? () -> { } : watch(call.id(), taskIds, user, notify);
        gone.whenComplete((done, failure) -> {
            listeners.remove(listener);
            stopWatching.run();
        });
        return new Later(new CompletableFuture<>());
    }

    /**
     * Sends {@code notifications/tasks} (the whole task, as {@code tasks/get} shows it) whenever one of
     * the tasks changes for its caller: the database is looked at every poll interval, on whichever node
     * holds the stream, so that a change made on any node is heard. A task that has ended is sent once and
     * no longer watched.
     *
     * @return stops the watch
     */
    private Runnable watch(Object subscription, List<String> taskIds, String user, Consumer<Map<String, Object>> notify) {
        Map<String, String> seen = new ConcurrentHashMap<>();
        taskIds.forEach(id -> tasks.find(id, user).ifPresent(task -> seen.put(id, ToolCallTasks.fingerprint(task))));
        long every = Math.max(100, tasks.pollInterval().toMillis());
        var watching = scheduler.scheduleWithFixedDelay(() -> {
            for (String id : List.copyOf(seen.keySet())) {
                try {
                    var task = tasks.find(id, user);
                    if (task.isEmpty()) {
                        seen.remove(id);
                        continue;
                    }
                    String now = ToolCallTasks.fingerprint(task.get());
                    if (!now.equals(seen.get(id))) {
                        seen.put(id, now);
                        notify.accept(notification("notifications/tasks", tasks.detailed(task.get()), subscription));
                    }
                    if (task.get().status().terminal()) {
                        seen.remove(id);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.FINE, "Task " + id + " could not be looked at for its listen stream", e);
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return () -> watching.cancel(false);
    }

    /** Tells the listen streams that asked for it that a list changed: {@code tools}, {@code prompts} or {@code resources}. */
    public void listChanged(String kind) {
        for (Listener listener : listeners) {
            if (Boolean.TRUE.equals(listener.agreed().get(kind + "ListChanged"))) {
                listener.stream().accept(notification("notifications/" + kind + "/list_changed", Map.of(), listener.id()));
            }
        }
    }

    /** Tells the listen streams that subscribed to the resource that it changed. */
    public void resourceUpdated(String uri) {
        for (Listener listener : listeners) {
            if (listener.agreed().get("resourceSubscriptions") instanceof List<?> uris && uris.contains(uri)) {
                listener.stream().accept(notification("notifications/resources/updated", Map.of("uri", uri), listener.id()));
            }
        }
    }

    private static Map<String, Object> notification(String method, Map<String, Object> params, Object subscription) {
        Map<String, Object> tagged = new LinkedHashMap<>(params);
        tagged.put("_meta", Map.of("io.modelcontextprotocol/subscriptionId", subscription));
        return Map.of("jsonrpc", McpSchema.JSONRPC_VERSION, "method", method, "params", tagged);
    }

    /**
     * A prompt's required arguments that the request lacks, asked of a caller that declared
     * elicitation in a round of its own ({@value #PROMPT_ARGUMENTS}); its retry carries them. No
     * {@code requestState}: the retry repeats the request, so there is nothing to keep.
     */
    private static Map<String, Object> askForArguments(CatalogPrompt prompt, List<CatalogPrompt.Argument> missing) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (var argument : missing) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("type", "string");
            field.put("title", argument.name());
            if (argument.description() != null) {
                field.put("description", argument.description());
            }
            if (!argument.values().isEmpty()) {
                field.put("enum", argument.values());
            }
            properties.put(argument.name(), field);
        }
        Map<String, Object> schema = Map.of("type", "object", "properties", properties, "required", missing.stream().map(a -> a.name()).toList());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "input_required");
        result.put("inputRequests", Map.of(PROMPT_ARGUMENTS, Map.of("method", "elicitation/create",
                "params", Map.of("mode", "form", "message", "The prompt '" + prompt.name() + "' needs " + missing.stream().map(a -> a.name()).toList(),
                        "requestedSchema", schema))));
        result.put("_meta", Map.of(META_SERVER_INFO, ServerIdentity.serverInfo()));
        return result;
    }

    /** A list or a read that a client may keep for a while (the catalog follows deployments within 5 s). */
    private Reply cacheable(McpSchema.JSONRPCRequest call, String name, List<?> entries) {
        Map<String, Object> result = complete();
        result.put(name, json.convertValue(entries, new TypeRef<List<Object>>() { }));
        result.put("ttlMs", TOOLS_TTL_MS);
        result.put("cacheScope", "private");
        return new Now(200, success(call.id(), result));
    }

    private Map<String, Object> toolError(String message) {
        Map<String, Object> result = json.convertValue(ToolResults.error(message), new TypeRef<Map<String, Object>>() { });
        result.putAll(complete());
        return result;
    }

    private static Map<String, Object> complete() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("_meta", Map.of(META_SERVER_INFO, ServerIdentity.serverInfo()));
        return result;
    }

    static Map<String, Object> success(Object id, Map<String, Object> result) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", id);
        body.put("result", result);
        return body;
    }

    public static Map<String, Object> error(Object id, int code, String message, Object data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        body.put("id", id);
        body.put("error", error);
        return body;
    }
}
