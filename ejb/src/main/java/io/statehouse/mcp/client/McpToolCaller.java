package io.statehouse.mcp.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import io.modelcontextprotocol.spec.McpTransportSessionClosedException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Calls one tool on one remote MCP server over Streamable HTTP, on the SDK's async client.
 *
 * <p>Each call has its own MCP session: the SDK's handlers for elicitation and sampling are per
 * client, and a stateful (2025-11-25) server's questions are tied to the session, so a session per
 * call is what ties a question to the run that made the call. It costs one {@code initialize} round
 * trip per call (the benchmark prints it). The session's request timeout is the call's timeout,
 * because the SDK counts the time our own elicitation handler takes against it.
 */
public final class McpToolCaller {

    /** How Statehouse introduces itself in {@code initialize}. */
    public static final McpSchema.Implementation CLIENT_INFO = new McpSchema.Implementation("statehouse", "Statehouse", "0.1.0");

    private static final Logger LOG = Logger.getLogger(McpToolCaller.class.getName());
    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The JSON-RPC error a server answers when a URL elicitation must come first (2025-11-25). */
    static final int URL_ELICITATION_REQUIRED = -32042;
    /** How often a call is made again after its URL elicitations were done. */
    static final int URL_REQUIRED_RETRIES = 3;

    /** A session is lost when this many pings in a row fail. */
    static final int PINGS_LOST = 2;

    /** A server that asks more rounds than this in one call is stopped (the TypeScript SDK stops at 10 as well). */
    static final int MAX_ROUNDS = 10;

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final Scheduler callbacks;
    private final Duration pingInterval;
    private final io.statehouse.mcp.mrtr.RoundTripClient rounds;

    /**
     * @param callbacks    where the listener is called: the container's managed executor, so that the
     *                     engine work it does runs on threads the container knows
     * @param pingInterval how often a session with a call in flight is pinged: the SDK does not notice
     *                     a server that went away while it waits for a result, so a failed ping is how
     *                     a lost session is found
     */
    public McpToolCaller(Executor callbacks, Duration pingInterval) {
        this.callbacks = Schedulers.fromExecutor(callbacks);
        this.pingInterval = pingInterval;
        this.rounds = new io.statehouse.mcp.mrtr.RoundTripClient(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(callbacks).build(),
                json, Map.of("name", CLIENT_INFO.name(), "version", CLIENT_INFO.version()),
                Map.of("elicitation", Map.of("form", Map.of(), "url", Map.of()), "sampling", Map.of()), java.time.Clock.systemUTC());
    }

    /** Parses a tool's arguments written as a JSON object. */
    public Map<String, Object> parseArguments(String argumentsJson) {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> arguments = json.readValue(argumentsJson, JSON_OBJECT);
            if (arguments == null) {
                throw new IllegalArgumentException("The tool's arguments must be a JSON object, not null");
            }
            return arguments;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The tool's arguments are not a JSON object: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Starts the call; the stage completes with the tool's result, or exceptionally with a
     * {@link ToolCallFailedException}. No thread waits while it runs.
     */
    public CompletionStage<ToolOutcome> call(ToolCall call, ToolCallListener listener) {
        return rounds.speaksModern(call.server().url(), call.server().authorization()).thenCompose(modern -> modern
                ? inRounds(call, listener, null, null, 0).exceptionallyCompose(e -> CompletableFuture.failedFuture(failure(call, false, e)))
                : stateful(call, listener));
    }

    /**
     * Goes on with a call in rounds (MCP 2026-07-28) whose round a restart interrupted: once every
     * answer is there, the call is retried with them and the round's state.
     *
     * @param answers the round's answers by key, as {@code inputResponses} entries, kept or still to come
     */
    public CompletionStage<ToolOutcome> resume(ToolCall call, ToolCallListener listener, String requestState,
            Map<String, CompletionStage<Map<String, Object>>> answers) {
        return all(answers).thenCompose(responses -> inRounds(call, listener, responses, requestState, 1))
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(failure(call, false, e)));
    }

    /** One request of a call in rounds, and the next, until the server answers with a result. */
    private CompletionStage<ToolOutcome> inRounds(ToolCall call, ToolCallListener listener, Map<String, Object> inputResponses,
            String requestState, int round) {
        return rounds.callTool(call.server().url(), call.server().authorization(), call.tool(), call.arguments(), inputResponses,
                requestState, call.progressToken(), call.timeout(), p -> listener.progress(p.progress(), p.total(), p.message()))
                .thenComposeAsync(response -> {
                    if (response.get("error") instanceof Map<?, ?> error) {
                        throw McpError.builder(error.get("code") instanceof Number code ? code.intValue() : McpSchema.ErrorCodes.INTERNAL_ERROR)
                                .message(String.valueOf(error.get("message"))).build();
                    }
                    Map<String, Object> result = json.convertValue(response.get("result"), JSON_OBJECT);
                    if (result == null || !"input_required".equals(result.get("resultType"))) {
                        return CompletableFuture.completedFuture(outcome(json.convertValue(result == null ? Map.of() : withoutEnvelope(result),
                                McpSchema.CallToolResult.class)));
                    }
                    if (round >= MAX_ROUNDS) {
                        throw new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, "MCP server '" + call.server().name()
                                + "', tool '" + call.tool() + "': still asking after " + MAX_ROUNDS + " rounds of questions", null);
                    }
                    Map<String, Object> requests = result.get("inputRequests") == null ? Map.of() : json.convertValue(result.get("inputRequests"), JSON_OBJECT);
                    String state = result.get("requestState") instanceof String s ? s : null;
                    listener.roundAsked(state, write(requests));
                    Map<String, CompletionStage<Map<String, Object>>> answers = new LinkedHashMap<>();
                    requests.forEach((key, request) -> answers.put(key, ask(listener, key, json.convertValue(request, JSON_OBJECT))));
                    return all(answers).thenCompose(responses -> inRounds(call, listener, responses, state, round + 1));
                }, callbacks::schedule);
    }

    /** One question of a round, asked through the listener; its answer as an {@code inputResponses} entry. */
    private CompletionStage<Map<String, Object>> ask(ToolCallListener listener, String key, Map<String, Object> request) {
        String method = String.valueOf(request.get("method"));
        Map<String, Object> params = request.get("params") == null ? Map.of() : json.convertValue(request.get("params"), JSON_OBJECT);
        Question question;
        switch (method) {
            case InputResponses.ELICIT -> question = "url".equals(params.get("mode"))
                    ? new Question.Url(String.valueOf(params.get("message")), String.valueOf(params.get("url")), key)
                    : new Question.Form(String.valueOf(params.get("message")), write(params.get("requestedSchema")));
            case InputResponses.SAMPLE -> question = new Question.Sampling(
                    summary(json.convertValue(params, McpSchema.CreateMessageRequest.class)), write(params));
            case InputResponses.ROOTS -> {
                // A run has no file system roots to offer.
                return CompletableFuture.completedFuture(InputResponses.of(method, Answer.of(Answer.Action.ACCEPT)));
            }
            default -> {
                return CompletableFuture.failedFuture(new IllegalArgumentException("The server asks '" + method + "', which Statehouse cannot answer"));
            }
        }
        return listener.ask(key, method, question).thenApply(answer -> InputResponses.of(method, answer));
    }

    /** Every answer of a round, in the order the server asked them. */
    private static CompletionStage<Map<String, Object>> all(Map<String, CompletionStage<Map<String, Object>>> answers) {
        CompletableFuture<?>[] each = answers.values().stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).thenApply(done -> {
            Map<String, Object> responses = new LinkedHashMap<>();
            answers.forEach((key, answer) -> responses.put(key, answer.toCompletableFuture().join()));
            return responses;
        });
    }

    private static Map<String, Object> withoutEnvelope(Map<String, Object> result) {
        Map<String, Object> plain = new LinkedHashMap<>(result);
        plain.remove("resultType");
        plain.remove("_meta");
        return plain;
    }

    /** The stateful era (2025-11-25 and before): a session per call, the server's questions as its requests. */
    private CompletionStage<ToolOutcome> stateful(ToolCall call, ToolCallListener listener) {
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
                .map(this::outcome)
                .onErrorMap(e -> failure(call, sessionOpen.get(), e))
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
                                        + refused.get().action().name().toLowerCase(java.util.Locale.ROOT) + ")")
                                .isError(true).build());
                    }
                    return callTool(client, request, listener, retries - 1);
                }));
    }

    /** The URL elicitations of an error -32042, or null when the error is another. */
    private List<McpSchema.ElicitUrlRequest> urlElicitations(Throwable e) {
        McpError error = inChain(e, McpError.class);
        if (error == null || error.getJsonRpcError() == null || error.getJsonRpcError().code() != URL_ELICITATION_REQUIRED
                || error.getJsonRpcError().data() == null) {
            return null;
        }
        try {
            Map<String, Object> data = json.convertValue(error.getJsonRpcError().data(), JSON_OBJECT);
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
                        ToolCallFailedException failed = failure(call, true, error);
                        outcome.completeExceptionally(failed.kind() == ToolCallFailedException.Kind.SESSION_LOST ? failed
                                : new ToolCallFailedException(ToolCallFailedException.Kind.SESSION_LOST, "MCP server '" + call.server().name()
                                        + "' (" + call.server().url() + "), tool '" + call.tool() + "': the server stopped answering pings while the call ran ("
                                        + firstLine(McpError.aggregateExceptionMessages(error)) + ")", error));
                    }
                });
    }

    private McpAsyncClient client(ToolCall call, ToolCallListener listener) {
        McpServer server = call.server();
        HttpRequest.Builder requests = HttpRequest.newBuilder();
        if (server.authorization() != null) {
            requests.header("Authorization", server.authorization());
        }
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseOf(server))
                .endpoint(endpointOf(server))
                .clientBuilder(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT))
                .requestBuilder(requests)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        String token = call.progressToken();
        return McpClient.async(transport)
                .clientInfo(CLIENT_INFO)
                .requestTimeout(call.timeout())
                .initializationTimeout(CONNECT_TIMEOUT.multipliedBy(3))
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation(true, true).sampling().build())
                .elicitation(request -> answer(() -> listener.elicit(new Question.Form(request.message(), write(request.requestedSchema()))))
                        .map(this::elicitResult))
                .urlElicitation(request -> answer(() -> listener.elicitUrl(new Question.Url(request.message(), request.url(), request.elicitationId())))
                        .map(this::elicitResult))
                .elicitationCompleteConsumer(notification -> run(() -> listener.urlElicitationCompleted(notification.elicitationId())))
                .sampling(request -> answer(() -> listener.sample(new Question.Sampling(summary(request), write(request))))
                        .map(this::samplingResult))
                // Progress is taken on the SDK's thread (the listener only queues it), so reports keep their order.
                .progressConsumer(notification -> token.equals(String.valueOf(notification.progressToken()))
                        ? Mono.fromRunnable(() -> listener.progress(notification.progress() == null ? 0 : notification.progress(),
                                notification.total(), notification.message()))
                        : Mono.empty())
                .loggingConsumer(notification -> run(() -> listener.log(
                        notification.level() == null ? "info" : notification.level().name().toLowerCase(java.util.Locale.ROOT),
                        notification.logger(), notification.data())))
                .build();
    }

    private Mono<Answer> answer(java.util.function.Supplier<CompletionStage<Answer>> question) {
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

    private ToolOutcome outcome(McpSchema.CallToolResult result) {
        List<String> texts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content content : result.content()) {
                if (content instanceof McpSchema.TextContent text) {
                    texts.add(text.text());
                }
            }
        }
        String structured = result.structuredContent() == null ? null : write(result.structuredContent());
        return new ToolOutcome(Boolean.TRUE.equals(result.isError()), String.join("\n\n", texts), structured, write(result));
    }

    private ToolCallFailedException failure(ToolCall call, boolean sessionOpen, Throwable e) {
        if (e instanceof ToolCallFailedException failed) {
            return failed;
        }
        String where = "MCP server '" + call.server().name() + "' (" + call.server().url() + "), tool '" + call.tool() + "'";
        String messages = firstLine(McpError.aggregateExceptionMessages(e));
        if (inChain(e, TimeoutException.class) != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.TIMEOUT,
                    where + ": no answer within " + (sessionOpen ? call.timeout() + " (the element's timeout)" : "the time allowed to open a session"), e);
        }
        McpError error = inChain(e, McpError.class);
        if (error != null && error.getJsonRpcError() != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED,
                    where + ": the server answered with error " + error.getJsonRpcError().code() + ": " + error.getJsonRpcError().message(), e);
        }
        if (!sessionOpen) {
            Throwable connect = inChain(e, ConnectException.class);
            if (connect == null) {
                connect = inChain(e, HttpConnectTimeoutException.class);
            }
            return new ToolCallFailedException(ToolCallFailedException.Kind.UNREACHABLE, where + ": "
                    + (connect != null ? "cannot connect (" + connect.getClass().getSimpleName() + ")" : "cannot open an MCP session: " + messages), e);
        }
        if (inChain(e, McpTransportSessionNotFoundException.class) != null || inChain(e, McpTransportSessionClosedException.class) != null
                || inChain(e, IOException.class) != null) {
            return new ToolCallFailedException(ToolCallFailedException.Kind.SESSION_LOST,
                    where + ": the MCP session ended while the call ran (" + messages + ")", e);
        }
        return new ToolCallFailedException(ToolCallFailedException.Kind.REFUSED, where + ": " + messages, e);
    }

    private static <T extends Throwable> T inChain(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String summary(McpSchema.CreateMessageRequest request) {
        List<McpSchema.SamplingMessage> messages = request.messages();
        if (messages != null && !messages.isEmpty()
                && messages.get(messages.size() - 1).content() instanceof McpSchema.TextContent text) {
            String t = text.text();
            return t.length() > 200 ? t.substring(0, 200) + "…" : t;
        }
        return "A model's reply is requested";
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String baseOf(McpServer server) {
        var url = server.url();
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static String endpointOf(McpServer server) {
        var url = server.url();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
