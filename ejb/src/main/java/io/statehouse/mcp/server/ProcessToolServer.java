package io.statehouse.mcp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.catalog.Catalogs;
import io.statehouse.run.CallerChannel;
import io.statehouse.run.ToolDefinition;
import io.statehouse.run.ToolRun;
import io.statehouse.run.ToolRunResult;
import io.statehouse.run.ToolRuns;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Statehouse's MCP server: every deployed process marked as a tool is a tool; {@code tools/call}
 * starts its run as the authenticated caller and answers when the run ends. The tool list follows
 * deployments ({@code notifications/tools/list_changed}). The MCP catalog that deployments ship
 * ({@code *.mcp.json}: resources, resource templates, prompts, their completions) follows them the same
 * way ({@link CatalogFeatures}, {@link CatalogCompletions}).
 *
 * <p>Transport: {@link StreamableHttpTransport}, stateful sessions (2025-03-26 to 2025-11-25) with
 * no thread held while a run waits. {@code notifications/cancelled} for a call cancels its run; a
 * closed or expired session cancels nothing.
 */
public final class ProcessToolServer implements AutoCloseable {

    /** The request attribute that the authentication filter sets to the caller's user id. */
    public static final String USER_ATTRIBUTE = "io.statehouse.mcp.user";
    static final String USER_KEY = "statehouse.user";
    static final Duration REQUEST_TIMEOUT = Duration.ofHours(24);

    private static final Logger LOG = Logger.getLogger(ProcessToolServer.class.getName());

    private final ToolRuns runs;
    private final Catalogs catalogs;
    private final CatalogFeatures catalog;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final Scheduler engineThreads;
    private final StreamableHttpTransport transport;
    /** The runs of open calls, by session and JSON-RPC request id: what {@code notifications/cancelled} cancels. */
    private final Map<String, String> openCalls = new ConcurrentHashMap<>();
    private final McpAsyncServer server;
    private final Map<String, String> listed = new ConcurrentHashMap<>();
    private volatile StatelessServer stateless;
    private final ScheduledFuture<?> refreshing;

    /**
     * @param endpoint     the servlet's path in its web application ({@code /mcp})
     * @param runs         the tools
     * @param catalogs     the resources, templates and prompts
     * @param engine       where engine work runs: the container's managed executor
     * @param scheduler    for the periodic refresh of the tool list
     * @param allowedHosts the Host/Origin check
     * @param idleTimeout  how long a session nobody uses lives
     */
    public ProcessToolServer(ToolRuns runs, Catalogs catalogs, Executor engine, ScheduledExecutorService scheduler, AllowedHosts allowedHosts, Duration idleTimeout) {
        this.runs = runs;
        this.catalogs = catalogs;
        this.engineThreads = Schedulers.fromExecutor(engine);
        this.transport = new StreamableHttpTransport(json, allowedHosts, ProcessToolServer::context, idleTimeout, scheduler);
        this.transport.onCancelled(this::cancelled);
        this.server = McpServer.async(transport)
                .serverInfo("statehouse", "0.1.0")
                .instructions("Tools of this server are BPMN processes on Statehouse. A call starts a run and answers when it ends;"
                        + " runs may wait for people, so calls may take long.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).logging()
                        .resources(true, true).prompts(true).completions().build())
                .requestTimeout(REQUEST_TIMEOUT)
                .jsonMapper(json)
                .build();
        this.catalog = new CatalogFeatures(server);
        this.transport.answerItself(McpSchema.METHOD_COMPLETION_COMPLETE, new CatalogCompletions(json, catalog::current));
        // Not now: the web module builds this while the engine may still be starting.
        this.refreshing = scheduler.scheduleWithFixedDelay(this::refresh, 0, 5, TimeUnit.SECONDS);
    }

    /** The servlet to register at the endpoint; it must be async-supported. */
    public HttpServlet servlet() {
        return transport;
    }

    private void cancelled(String sessionId, String requestKey, String reason) {
        String runId = openCalls.remove(sessionId + "/" + requestKey);
        if (runId != null) {
            LOG.info(() -> "MCP client cancelled the call of run " + runId + ": " + reason);
            engineThreads.schedule(() -> runs.cancel(runId, "Cancelled by the MCP client: " + reason));
        }
    }

    /** Brings the tools and the catalog in step with the deployments, and tells the clients what changed. */
    public void refresh() {
        if (refreshTools() && stateless != null) {
            stateless.listChanged("tools");
        }
        try {
            io.statehouse.catalog.Catalog before = catalog.current();
            io.statehouse.catalog.Catalog after = catalogs.current();
            catalog.apply(after);
            if (stateless != null) {
                tellListeners(before, after);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not refresh the MCP catalog", e);
        }
    }

    /** The catalog's changes for the 2026-07-28 listen streams (the stateful era's clients hear them from the SDK). */
    private void tellListeners(io.statehouse.catalog.Catalog before, io.statehouse.catalog.Catalog after) {
        if (!names(before.prompts(), io.statehouse.catalog.CatalogPrompt::name).equals(names(after.prompts(), io.statehouse.catalog.CatalogPrompt::name))) {
            stateless.listChanged("prompts");
        }
        if (!names(before.resources(), io.statehouse.catalog.CatalogResource::uri).equals(names(after.resources(), io.statehouse.catalog.CatalogResource::uri))
                || !names(before.templates(), io.statehouse.catalog.ResourceTemplate::uriTemplate)
                        .equals(names(after.templates(), io.statehouse.catalog.ResourceTemplate::uriTemplate))) {
            stateless.listChanged("resources");
        }
        for (io.statehouse.catalog.CatalogResource resource : after.resources()) {
            before.resource(resource.uri()).filter(old -> !old.contents().equals(resource.contents()))
                    .ifPresent(old -> stateless.resourceUpdated(resource.uri()));
        }
    }

    private static <T> java.util.Set<String> names(List<T> entries, java.util.function.Function<T, String> name) {
        return entries.stream().map(name).collect(java.util.stream.Collectors.toSet());
    }

    /** @return whether the tool list changed */
    private boolean refreshTools() {
        try {
            List<ToolDefinition> tools = runs.tools();
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
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not refresh the MCP tool list", e);
            return false;
        }
    }

    private McpServerFeatures.AsyncToolSpecification specification(ToolDefinition tool) {

        return McpServerFeatures.AsyncToolSpecification.builder()
                .tool(ToolResults.tool(tool))
                .callHandler((exchange, request) -> Mono.defer(() -> {
                    String user = Optional.ofNullable(exchange.transportContext().get(USER_KEY)).map(Object::toString).orElse(null);
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
                    ToolRun run = runs.start(tool.name(), request.arguments(), user, caller(exchange, token));
                    Object requestKey = exchange.transportContext().get(StreamableHttpTransport.REQUEST_KEY);
                    String key = exchange.sessionId() + "/" + requestKey;
                    if (requestKey != null) {
                        openCalls.put(key, run.runId());
                    }
                    return Mono.fromCompletionStage(run.ended()).map(this::result).doFinally(signal -> openCalls.remove(key, run.runId()));
                }).subscribeOn(engineThreads).onErrorResume(IllegalArgumentException.class, e -> Mono.just(error(e.getMessage()))))
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
                        .messages(java.util.List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER, new McpSchema.TextContent(prompt))))
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
                String question = java.util.UUID.randomUUID().toString();
                McpSchema.ElicitFormRequest request = new McpSchema.ElicitFormRequest(message, requestedSchema,
                        Map.of(StreamableHttpTransport.WITHDRAW_KEY, question));
                java.util.concurrent.CompletableFuture<CallerAnswer> answer = exchange.createElicitation(request)
                        .map(result -> new CallerAnswer(result.action() == McpSchema.ElicitResult.Action.ACCEPT, result.content()))
                        .toFuture();
                answer.whenComplete((result, failure) -> {
                    if (failure instanceof java.util.concurrent.CancellationException) {
                        transport.withdraw(question, "The question was answered in the Statehouse Tasklist");
                    } else {
                        transport.forget(question);
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

    private static Map<String, Object> context(HttpServletRequest request) {
        Object user = request.getAttribute(USER_ATTRIBUTE);
        return user == null ? Map.of() : Map.of(USER_KEY, user);
    }

    /**
     * Serves MCP 2026-07-28 beside the stateful era, at the same endpoint: tool calls whose runs wait
     * for their caller answer in multi round-trip requests, with a {@code requestState} of this codec.
     */
    public void serveStateless(io.statehouse.mcp.mrtr.RequestStateCodec requestStates) {
        stateless = new StatelessServer(runs, new io.statehouse.mcp.mrtr.ToolCallRounds(runs, requestStates), json, engineThreads::schedule,
                catalog::current);
        transport.serveStateless(stateless);
    }

    @Override
    public void close() {
        refreshing.cancel(false);
        server.close();
    }
}
