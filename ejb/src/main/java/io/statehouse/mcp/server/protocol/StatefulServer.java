package io.statehouse.mcp.server.protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalog;
import io.statehouse.mcp.server.CallKeyConflictException;
import io.statehouse.mcp.server.CallerChannel;
import io.statehouse.mcp.server.ToolDefinition;
import io.statehouse.mcp.server.ToolRun;
import io.statehouse.mcp.server.ToolRunResult;
import io.statehouse.mcp.server.ToolRuns;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The stateful era (2025-03-26 to 2025-11-25) of Statehouse's MCP server, on the MCP Java SDK's async
 * server over {@link StatefulSessions}: every deployed process marked as a tool is a tool;
 * {@code tools/call} starts its run as the authenticated caller and answers when the run ends, the
 * run's tasks for the caller ask it on the call's stream. The MCP catalog is served the same way
 * ({@link CatalogFeatures}, {@link CatalogCompletions}). {@code notifications/cancelled} for a call
 * cancels its run; a closed or expired session cancels nothing.
 */
public final class StatefulServer implements AutoCloseable {

    static final Duration REQUEST_TIMEOUT = Duration.ofHours(24);

    private static final Logger LOG = Logger.getLogger(StatefulServer.class.getName());

    private final ToolRuns runs;
    private final McpJsonMapper json;
    private final Scheduler engineThreads;
    private final StatefulSessions sessions;
    private final McpAsyncServer server;
    private final CatalogFeatures catalog;
    /** The runs of open calls, by session and JSON-RPC request id: what {@code notifications/cancelled} cancels. */
    private final Map<String, String> openCalls = new ConcurrentHashMap<>();
    /** The listed tools: name to process definition id. Touched only by {@link #tools}, which one refresh task calls. */
    private final Map<String, String> listed = new ConcurrentHashMap<>();

    /**
     * @param runs     the tools
     * @param sessions the transport
     * @param engine   where engine work runs: the container's managed executor
     */
    public StatefulServer(ToolRuns runs, StatefulSessions sessions, Executor engine) {
        this.runs = runs;
        this.json = McpJsonDefaults.getMapper();
        this.sessions = sessions;
        this.engineThreads = Schedulers.fromExecutor(engine);
        sessions.onCancelled(this::cancelled);
        this.server = McpServer.async(sessions)
                .serverInfo(ServerIdentity.NAME, ServerIdentity.VERSION)
                .instructions(ServerIdentity.INSTRUCTIONS)
                .capabilities(ServerIdentity.CAPABILITIES)
                .requestTimeout(REQUEST_TIMEOUT)
                .jsonMapper(json)
                .build();
        this.catalog = new CatalogFeatures(server);
        sessions.answerItself(McpSchema.METHOD_COMPLETION_COMPLETE, new CatalogCompletions(json, catalog::current));
    }

    /** The MCP catalog in force, as this server last applied it. */
    public Catalog catalog() {
        return catalog.current();
    }

    /** Brings the server's resources, templates and prompts in step with the catalog. */
    void catalog(Catalog inForce) {
        catalog.apply(inForce);
    }

    private void cancelled(String sessionId, String requestKey, String reason) {
        String runId = openCalls.remove(sessionId + "/" + requestKey);
        if (runId != null) {
            LOG.info(() -> "MCP client cancelled the call of run " + runId + ": " + reason);
            engineThreads.schedule(() -> runs.cancel(runId, "Cancelled by the MCP client: " + reason));
        }
    }

    /**
     * Brings the server's tools in step with the deployed ones; sessions hear of a change
     * ({@code notifications/tools/list_changed}).
     *
     * @return whether the tool list changed
     */
    boolean tools(List<ToolDefinition> tools) {
        {
            Map<String, String> wanted = new HashMap<>();
            tools.forEach(t -> wanted.put(t.name(), t.processDefinitionId()));
            boolean changed = false;
            for (String name : List.copyOf(listed.keySet())) {
                if (!listed.get(name).equals(wanted.get(name))) {
                    server.removeTool(name).onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(5));
                    listed.remove(name);
                    changed = true;
                }
            }
            for (ToolDefinition tool : tools) {
                if (!listed.containsKey(tool.name())) {
                    server.addTool(specification(tool)).block(Duration.ofSeconds(5));
                    listed.put(tool.name(), tool.processDefinitionId());
                    changed = true;
                }
            }
            if (changed) {
                LOG.info(() -> "MCP tools: " + listed.keySet());
                server.notifyToolsListChanged().onErrorResume(e -> Mono.empty()).subscribe();
            }
            return changed;
        }
    }

    private McpServerFeatures.AsyncToolSpecification specification(ToolDefinition tool) {
        return McpServerFeatures.AsyncToolSpecification.builder()
                .tool(ToolResults.tool(tool))
                .callHandler((exchange, request) -> Mono.defer(() -> {
                    String user = Optional.ofNullable(exchange.transportContext().get(StatefulSessions.USER_KEY)).map(Object::toString).orElse(null);
                    if (user == null) {
                        return Mono.just(error("Not authenticated"));
                    }
                    var declared = exchange.getClientCapabilities();
                    List<String> missing = tool.undeclared(c -> declared != null
                            && ("sampling".equals(c) ? declared.sampling() != null : "elicitation".equals(c) && declared.elicitation() != null));
                    if (!missing.isEmpty()) {
                        return Mono.just(error("Tool '" + tool.name() + "' needs the client capabilities " + missing + ", which this client did not declare"));
                    }
                    Object token = request.meta() == null ? null : request.meta().get("progressToken");
                    Object requestKey = exchange.transportContext().get(StatefulSessions.REQUEST_KEY);
                    String key = exchange.sessionId() + "/" + requestKey;
                    // The caller's own key, else the request's id in its session: the same request sent again gets the run it started.
                    String callKey = IdempotencyKeys.of(request.meta(), null);
                    if (callKey == null && requestKey != null) {
                        callKey = "session " + key;
                    }
                    ToolRun run = runs.start(tool.name(), request.arguments(), user, caller(exchange, token), callKey);
                    if (requestKey != null) {
                        openCalls.put(key, run.runId());
                    }
                    return Mono.fromCompletionStage(run.ended()).map(this::result).doFinally(signal -> openCalls.remove(key, run.runId()));
                }).subscribeOn(engineThreads)
                        .onErrorMap(CallKeyConflictException.class, e -> McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(e.getMessage())
                                .data(Map.of("reason", "idempotency_conflict")).build())
                        .onErrorResume(IllegalArgumentException.class, e -> Mono.just(error(e.getMessage()))))
                .build();
    }

    /** The calling client as the run's tasks marked for the caller see it. */
    private CallerChannel caller(McpAsyncServerExchange exchange, Object progressToken) {
        return new CallerChannel() {
            @Override
            public void progress(double progress, Double total, String message) {
                if (progressToken != null) {
                    exchange.progressNotification(new McpSchema.ProgressNotification(progressToken, progress, total, message))
                            .onErrorResume(e -> Mono.empty()).subscribe();
                }
            }

            @Override
            public void log(String message) {
                exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder()
                        .level(McpSchema.LoggingLevel.DEBUG).logger("statehouse.run").data(message).build())
                        .onErrorResume(e -> Mono.empty()).subscribe();
            }

            @Override
            public boolean canSample() {
                return exchange.getClientCapabilities() != null && exchange.getClientCapabilities().sampling() != null;
            }

            @Override
            public CompletionStage<SampledReply> sample(String systemPrompt, String prompt, int maxTokens) {
                McpSchema.CreateMessageRequest request = McpSchema.CreateMessageRequest.builder()
                        .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, new McpSchema.TextContent(prompt))))
                        .systemPrompt(systemPrompt)
                        .maxTokens(maxTokens)
                        .build();
                return exchange.createMessage(request)
                        .map(result -> new SampledReply(result.content() instanceof McpSchema.TextContent text ? text.text()
                                : String.valueOf(result.content()), result.model()))
                        .toFuture();
            }

            @Override
            public boolean canListRoots() {
                return exchange.getClientCapabilities() != null && exchange.getClientCapabilities().roots() != null;
            }

            @Override
            public CompletionStage<List<Map<String, Object>>> roots(String runId, String key) {
                return exchange.listRoots()
                        .map(result -> result.roots() == null ? List.<Map<String, Object>>of() : result.roots().stream()
                                .map(root -> root.name() == null ? Map.<String, Object>of("uri", root.uri())
                                        : Map.<String, Object>of("uri", root.uri(), "name", root.name()))
                                .toList())
                        .toFuture();
            }

            @Override
            public boolean canElicit() {
                return exchange.getClientCapabilities() != null && exchange.getClientCapabilities().elicitation() != null;
            }

            @Override
            public CompletionStage<CallerAnswer> elicit(String message, Map<String, Object> requestedSchema) {
                String question = UUID.randomUUID().toString();
                McpSchema.ElicitFormRequest request = new McpSchema.ElicitFormRequest(message, requestedSchema,
                        Map.of(StatefulSessions.WITHDRAW_KEY, question));
                CompletableFuture<CallerAnswer> answer = exchange.createElicitation(request)
                        .map(result -> new CallerAnswer(result.action() == McpSchema.ElicitResult.Action.ACCEPT, result.content()))
                        .toFuture();
                answer.whenComplete((result, failure) -> {
                    if (failure instanceof CancellationException) {
                        sessions.withdraw(question, "The question was answered in the Statehouse Tasklist");
                    } else {
                        sessions.forget(question);
                    }
                });
                return answer;
            }
        };
    }

    private McpSchema.CallToolResult result(ToolRunResult run) {
        return ToolResults.result(json, run);
    }

    private static McpSchema.CallToolResult error(String message) {
        return ToolResults.error(message);
    }

    @Override
    public void close() {
        server.close();
    }
}
