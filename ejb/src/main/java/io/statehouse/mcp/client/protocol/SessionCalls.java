package io.statehouse.mcp.client.protocol;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.statehouse.mcp.client.Answer;
import io.statehouse.mcp.client.Question;
import io.statehouse.mcp.client.RemoteServer;
import io.statehouse.mcp.client.ToolCall;
import io.statehouse.mcp.client.ToolCallFailedException;
import io.statehouse.mcp.client.ToolCallListener;
import io.statehouse.mcp.client.ToolOutcome;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Tool calls in the stateful era (2025-11-25 and before), on the SDK's async client.
 *
 * <p>Each call has its own MCP session: the SDK's handlers for elicitation and sampling are per
 * client, and a stateful server's questions are tied to the session, so a session per call is what
 * ties a question to the run that made the call. It costs one {@code initialize} round trip per call
 * (the benchmark prints it). The session's request timeout is the call's timeout, because the SDK
 * counts the time our own elicitation handler takes against it; pings find a server that went away.
 */
final class SessionCalls {

    /** The JSON-RPC error a server answers when a URL elicitation must come first (2025-11-25). */
    static final int URL_ELICITATION_REQUIRED = -32042;
    /** How often a call is made again after its URL elicitations were done. */
    static final int URL_REQUIRED_RETRIES = 3;
    /** A session is lost when this many pings in a row fail. */
    static final int PINGS_LOST = 2;

    private static final Logger LOG = Logger.getLogger(SessionCalls.class.getName());

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final Scheduler callbacks;
    private final Duration pingInterval;
    private final Duration connectTimeout;

    /** @param connectTimeout how long connecting may take; opening a session may take three times that */
    SessionCalls(Scheduler callbacks, Duration pingInterval, Duration connectTimeout) {
        this.callbacks = callbacks;
        this.pingInterval = pingInterval;
        this.connectTimeout = connectTimeout;
    }

    /** Starts the call in a session of its own; the stage completes as {@link McpToolCaller#call} says. */
    CompletionStage<ToolOutcome> call(ToolCall call, ToolCallListener listener) {
        McpAsyncClient client = client(call, listener);
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder(call.tool())
                .arguments(call.arguments())
                .progressToken(call.progressToken())
                .build();
        CompletableFuture<ToolOutcome> outcome = new CompletableFuture<>();
        AtomicBoolean sessionOpen = new AtomicBoolean();
        Disposable.Composite running = Disposables.composite();
        running.add(client.initialize()
                .doOnSuccess(initialized -> {
                    sessionOpen.set(true);
                    running.add(heartbeat(call, client, outcome));
                })
                .then(Mono.defer(() -> callTool(client, request, listener, URL_REQUIRED_RETRIES)))
                .map(ToolOutcomes::outcome)
                .onErrorMap(e -> CallFailures.failure(call, sessionOpen.get(), e))
                .subscribe(outcome::complete, outcome::completeExceptionally));
        outcome.whenComplete((result, failure) -> {
            running.dispose();
            client.closeGracefully().timeout(Duration.ofSeconds(5)).onErrorResume(e -> Mono.empty()).subscribe();
        });
        return outcome;
    }

    /**
     * Calls the tool; when the server answers with error -32042 (URL elicitation required), every URL
     * it names becomes a question, and once all are done the call is made again in the same session.
     * A person who declines or cancels one ends the call with a tool error that says so.
     */
    private Mono<McpSchema.CallToolResult> callTool(McpAsyncClient client, McpSchema.CallToolRequest request,
            ToolCallListener listener, int retries) {
        return client.callTool(request).onErrorResume(e -> retries > 0 && urlElicitations(e) != null, e -> Flux
                .fromIterable(urlElicitations(e))
                .concatMap(url -> answer(() -> listener.elicitUrl(new Question.Url(url.message(), url.url(), url.elicitationId()))))
                .collectList()
                .flatMap(answers -> {
                    var refused = answers.stream().filter(a -> a.action() != Answer.Action.ACCEPT).findFirst();
                    if (refused.isPresent()) {
                        return Mono.just(McpSchema.CallToolResult.builder()
                                .addTextContent("The person did not complete the step the server requires first (URL elicitation: "
                                        + refused.get().action().name().toLowerCase(Locale.ROOT) + ")")
                                .isError(true).build());
                    }
                    return callTool(client, request, listener, retries - 1);
                }));
    }

    /** The URL elicitations of an error -32042, or null when the error is another. */
    private List<McpSchema.ElicitUrlRequest> urlElicitations(Throwable e) {
        McpError error = CallFailures.inChain(e, McpError.class);
        if (error == null || error.getJsonRpcError() == null || error.getJsonRpcError().code() != URL_ELICITATION_REQUIRED
                || error.getJsonRpcError().data() == null) {
            return null;
        }
        try {
            Map<String, Object> data = json.convertValue(error.getJsonRpcError().data(), ToolOutcomes.JSON_OBJECT);
            List<McpSchema.ElicitUrlRequest> urls = json.convertValue(data.get("elicitations"), new TypeRef<List<McpSchema.ElicitUrlRequest>>() {
            });
            return urls == null || urls.isEmpty() ? null : urls;
        } catch (RuntimeException unreadable) {
            LOG.log(Level.FINE, "Error -32042 without readable elicitations", unreadable);
            return null;
        }
    }

    /** Pings the session while the call runs; {@value #PINGS_LOST} failures in a row end the call as a lost session. */
    private Disposable heartbeat(ToolCall call, McpAsyncClient client, CompletableFuture<ToolOutcome> outcome) {
        AtomicInteger failures = new AtomicInteger();
        return Flux.interval(pingInterval, pingInterval)
                .concatMap(tick -> client.ping()
                        .timeout(pingInterval.multipliedBy(2))
                        .doOnSuccess(pong -> failures.set(0))
                        .then(Mono.<Throwable>empty())
                        .onErrorResume(Mono::just))
                .subscribe(error -> {
                    if (failures.incrementAndGet() >= PINGS_LOST) {
                        ToolCallFailedException failed = CallFailures.failure(call, true, error);
                        outcome.completeExceptionally(failed.kind() == ToolCallFailedException.Kind.SESSION_LOST ? failed
                                : new ToolCallFailedException(ToolCallFailedException.Kind.SESSION_LOST, "MCP server '" + call.server().name()
                                        + "' (" + call.server().url() + "), tool '" + call.tool() + "': the server stopped answering pings while the call ran ("
                                        + CallFailures.firstLine(McpError.aggregateExceptionMessages(error)) + ")", error));
                    }
                });
    }

    private McpAsyncClient client(ToolCall call, ToolCallListener listener) {
        RemoteServer server = call.server();
        HttpRequest.Builder requests = HttpRequest.newBuilder();
        if (server.authorization() != null) {
            requests.header("Authorization", server.authorization());
        }
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseOf(server))
                .endpoint(endpointOf(server))
                .clientBuilder(HttpClient.newBuilder().connectTimeout(connectTimeout))
                .requestBuilder(requests)
                .connectTimeout(connectTimeout)
                .build();
        String token = call.progressToken();
        return McpClient.async(transport)
                .clientInfo(ClientIdentity.INFO)
                .requestTimeout(call.timeout())
                .initializationTimeout(connectTimeout.multipliedBy(3))
                .capabilities(ClientIdentity.CAPABILITIES)
                .elicitation(request -> answer(() -> listener.elicit(new Question.Form(request.message(), ToolOutcomes.write(request.requestedSchema()))))
                        .map(this::elicitResult))
                .urlElicitation(request -> answer(() -> listener.elicitUrl(new Question.Url(request.message(), request.url(), request.elicitationId())))
                        .map(this::elicitResult))
                .elicitationCompleteConsumer(notification -> run(() -> listener.urlElicitationCompleted(notification.elicitationId())))
                .sampling(request -> answer(() -> listener.sample(new Question.Sampling(ToolOutcomes.summary(request), ToolOutcomes.write(request))))
                        .map(this::samplingResult))
                // Progress is taken on the SDK's thread (the listener only queues it), so reports keep their order.
                .progressConsumer(notification -> token.equals(String.valueOf(notification.progressToken()))
                        ? Mono.fromRunnable(() -> listener.progress(notification.progress() == null ? 0 : notification.progress(),
                                notification.total(), notification.message()))
                        : Mono.empty())
                .loggingConsumer(notification -> run(() -> listener.log(
                        notification.level() == null ? "info" : notification.level().name().toLowerCase(Locale.ROOT),
                        notification.logger(), notification.data())))
                .build();
    }

    private Mono<Answer> answer(Supplier<CompletionStage<Answer>> question) {
        return Mono.defer(() -> Mono.fromCompletionStage(question.get())).subscribeOn(callbacks);
    }

    private Mono<Void> run(Runnable action) {
        return Mono.<Void>fromRunnable(action).subscribeOn(callbacks)
                .onErrorResume(e -> {
                    LOG.log(Level.WARNING, "A notification from an MCP server could not be recorded", e);
                    return Mono.empty();
                });
    }

    private McpSchema.ElicitResult elicitResult(Answer answer) {
        return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.valueOf(answer.action().name()),
                answer.action() == Answer.Action.ACCEPT ? answer.content() : null);
    }

    private McpSchema.CreateMessageResult samplingResult(Answer answer) {
        if (answer.action() != Answer.Action.ACCEPT) {
            // The specification's error for a sampling request the user rejected.
            throw McpError.builder(-1).message("User rejected sampling request").build();
        }
        return McpSchema.CreateMessageResult.builder()
                .role(McpSchema.Role.ASSISTANT)
                .content(new McpSchema.TextContent(answer.reply()))
                .model(answer.model())
                .stopReason(answer.stopReason() == null ? McpSchema.CreateMessageResult.StopReason.END_TURN
                        : McpSchema.CreateMessageResult.StopReason.of(answer.stopReason()))
                .build();
    }

    private static String baseOf(RemoteServer server) {
        var url = server.url();
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static String endpointOf(RemoteServer server) {
        var url = server.url();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

}
