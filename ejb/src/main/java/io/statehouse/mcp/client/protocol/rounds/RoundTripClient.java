package io.statehouse.mcp.client.protocol.rounds;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.statehouse.mcp.http.McpHeaders;
import io.statehouse.progress.Progress;

/**
 * The client side of MCP 2026-07-28 for what the SDK's client cannot do yet: finding out whether a
 * server speaks it ({@code server/discover}), and one request of a tool call in rounds (the first,
 * or a retry with {@code inputResponses} and the {@code requestState} echoed byte for byte, under a
 * new JSON-RPC id). What to do with a round's questions, and where its state is kept between
 * rounds, is the caller's: a run keeps it in its process, so that a round survives a restart.
 */
public final class RoundTripClient {

    public static final String VERSION = "2026-07-28";
    /** The tasks extension of 2026-07-28 (SEP-2663). */
    public static final String TASKS = "io.modelcontextprotocol/tasks";
    /** How long a server's answer to {@code server/discover} is believed. */
    static final Duration VERDICT_LIFETIME = Duration.ofMinutes(5);
    /** The longest a server's tool list is kept, whatever its {@code ttlMs} says. */
    static final Duration LISTING_LIFETIME = Duration.ofMinutes(10);
    /** The most pages of a {@code tools/list} that are read. */
    private static final int MAX_PAGES = 50;

    private static final Logger LOG = Logger.getLogger(RoundTripClient.class.getName());
    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    private final HttpClient http;
    private final McpJsonMapper json;
    private final Map<String, Object> clientInfo;
    private final Map<String, Object> capabilities;
    private final Clock clock;
    private final Map<URI, Verdict> verdicts = new ConcurrentHashMap<>();

    private record Verdict(boolean modern, boolean tasks, Instant until) {
    }

    /** The input schemas of a server's tools, by name, as its {@code tools/list} gave them, until its {@code ttlMs} runs out. */
    private final Map<URI, Listing> listings = new ConcurrentHashMap<>();

    private record Listing(Map<String, Object> schemas, Instant until) {
    }

    /**
     * @param clientInfo   how the client introduces itself ({@code name}, {@code version})
     * @param capabilities what the client declares in every request
     */
    public RoundTripClient(HttpClient http, McpJsonMapper json, Map<String, Object> clientInfo, Map<String, Object> capabilities, Clock clock) {
        this.http = Objects.requireNonNull(http);
        this.json = Objects.requireNonNull(json);
        this.clientInfo = Map.copyOf(clientInfo);
        this.capabilities = Map.copyOf(capabilities);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Whether the server at {@code endpoint} speaks 2026-07-28: its {@code server/discover} says so.
     * Anything else (an error, a 4xx of an older server, no answer in time) means the stateful era.
     */
    public CompletionStage<Boolean> speaksModern(URI endpoint, String authorization) {
        Verdict known = verdicts.get(endpoint);
        if (known != null && clock.instant().isBefore(known.until())) {
            return CompletableFuture.completedFuture(known.modern());
        }
        return discover(endpoint, authorization, true).handle((verdict, failure) -> {
            if (failure != null) {
                LOG.log(Level.FINE, "server/discover at " + endpoint + " failed; the stateful era it is", failure);
            }
            Verdict found = failure == null ? verdict : new Verdict(false, false, null);
            verdicts.put(endpoint, new Verdict(found.modern(), found.tasks(), clock.instant().plus(VERDICT_LIFETIME)));
            return found.modern();
        });
    }

    /** Whether the server's last {@code server/discover} offered the tasks extension ({@value #TASKS}). */
    public boolean offersTasks(URI endpoint) {
        Verdict known = verdicts.get(endpoint);
        return known != null && known.tasks();
    }

    /**
     * One {@code server/discover}; an "unsupported protocol version" error (-32022) whose
     * {@code data.supported} names 2026-07-28 after all is asked once more, as the specification
     * has a client retry with a version the server supports.
     */
    private CompletionStage<Verdict> discover(URI endpoint, String authorization, boolean mayRetry) {
        return post(endpoint, authorization, "server/discover", Map.of(), List.of(), null, Duration.ofSeconds(10), progress -> { })
                .thenCompose(response -> {
                    if (response.get("result") instanceof Map<?, ?> result) {
                        boolean modern = result.get("supportedVersions") instanceof List<?> versions && versions.contains(VERSION);
                        boolean tasks = result.get("capabilities") instanceof Map<?, ?> capabilities
                                && capabilities.get("extensions") instanceof Map<?, ?> extensions && extensions.get(TASKS) instanceof Map;
                        return CompletableFuture.completedFuture(new Verdict(modern, modern && tasks, null));
                    }
                    boolean retry = mayRetry && response.get("error") instanceof Map<?, ?> error && error.get("code") instanceof Number code
                            && code.intValue() == McpHeaders.UNSUPPORTED_VERSION && error.get("data") instanceof Map<?, ?> data
                            && data.get("supported") instanceof List<?> supported && supported.contains(VERSION);
                    return retry ? discover(endpoint, authorization, false) : CompletableFuture.completedFuture(new Verdict(false, false, null));
                });
    }

    /**
     * A request of the tasks extension ({@code tasks/get}, {@code tasks/update}, {@code tasks/cancel})
     * about one task, with the extension declared; its {@code Mcp-Name} is the task id.
     *
     * @return the JSON-RPC response: its {@code result} or {@code error}
     */
    public CompletionStage<Map<String, Object>> task(URI endpoint, String authorization, String method, String taskId, Map<String, Object> more) {
        Map<String, Object> params = new LinkedHashMap<>(more);
        params.put("taskId", taskId);
        return post(endpoint, authorization, method, params, List.of(), null, Duration.ofSeconds(30), progress -> { }, true);
    }

    /**
     * One request of a tool call.
     *
     * @param inputResponses the answers to the last round, or null on the first request
     * @param requestState   the last round's state exactly as the server sent it, or null when it sent none
     * @return the JSON-RPC response: its {@code result} (complete or {@code input_required}) or {@code error}
     */
    public CompletionStage<Map<String, Object>> callTool(URI endpoint, String authorization, String tool, Map<String, Object> arguments,
            Map<String, Object> inputResponses, String requestState, String progressToken, Duration timeout, Consumer<Progress> progress) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", arguments == null ? Map.of() : arguments);
        if (inputResponses != null) {
            params.put("inputResponses", inputResponses);
        }
        if (requestState != null) {
            params.put("requestState", requestState);
        }
        // SEP-2243: the arguments the tool marks with x-mcp-header go into Mcp-Param-* headers as well; on a
        // HeaderMismatch (the tool changed since it was listed) the list is read again and the request sent once more.
        return toolHeaders(endpoint, authorization, tool, false)
                .thenCompose(marked -> post(endpoint, authorization, "tools/call", params, marked, progressToken, timeout, progress, offersTasks(endpoint)))
                .thenCompose(response -> response.get("error") instanceof Map<?, ?> error && error.get("code") instanceof Number code
                        && code.intValue() == McpHeaders.HEADER_MISMATCH
                        ? toolHeaders(endpoint, authorization, tool, true)
                                .thenCompose(marked -> post(endpoint, authorization, "tools/call", params, marked, progressToken, timeout, progress,
                                        offersTasks(endpoint)))
                        : CompletableFuture.completedFuture(response));
    }

    /**
     * The parameters of {@code tool} that its server mirrors into headers, from its {@code tools/list};
     * none for a tool it does not list (the call then gets the server's own error). A tool whose
     * {@code x-mcp-header} annotations break SEP-2243's rules is not called at all: the stage fails
     * with what is wrong.
     */
    private CompletionStage<List<McpHeaders.Param>> toolHeaders(URI endpoint, String authorization, String tool, boolean fresh) {
        Listing known = listings.get(endpoint);
        CompletionStage<Listing> listing = !fresh && known != null && clock.instant().isBefore(known.until())
                ? CompletableFuture.completedFuture(known)
                : list(endpoint, authorization, null, new LinkedHashMap<>(), 0, null);
        return listing.thenApply(current -> {
            if (!(current.schemas().get(tool) instanceof Map<?, ?> schema)) {
                return List.of();
            }
            try {
                return McpHeaders.params(json.convertValue(schema, JSON_OBJECT));
            } catch (IllegalArgumentException invalid) {
                LOG.warning(() -> "MCP server at " + endpoint + " lists tool '" + tool + "' with an invalid definition, which Statehouse does not call: "
                        + invalid.getMessage());
                throw new InvalidToolDefinitionException("the server lists tool '" + tool + "' with an invalid " + McpHeaders.X_MCP_HEADER
                        + " (SEP-2243), so Statehouse does not call it: " + invalid.getMessage(), invalid);
            }
        });
    }

    private CompletionStage<Listing> list(URI endpoint, String authorization, String cursor, Map<String, Object> schemas, int page, Long ttl) {
        return post(endpoint, authorization, "tools/list", cursor == null ? Map.of() : Map.of("cursor", cursor), List.of(), null,
                Duration.ofSeconds(30), p -> { })
                .thenCompose(response -> {
                    if (!(response.get("result") instanceof Map<?, ?> result)) {
                        throw new IllegalStateException("tools/list at " + endpoint + " failed: " + response.get("error"));
                    }
                    if (result.get("tools") instanceof List<?> tools) {
                        for (Object each : tools) {
                            if (each instanceof Map<?, ?> definition && definition.get("name") instanceof String name) {
                                schemas.put(name, definition.get("inputSchema"));
                            }
                        }
                    }
                    long ttlMs = result.get("ttlMs") instanceof Number n ? n.longValue() : 0;
                    Long shortest = ttl == null ? ttlMs : Math.min(ttl, ttlMs);
                    if (result.get("nextCursor") instanceof String next && !next.isEmpty() && page + 1 < MAX_PAGES) {
                        return list(endpoint, authorization, next, schemas, page + 1, shortest);
                    }
                    Duration keep = Duration.ofMillis(Math.max(0, shortest));
                    Listing listing = new Listing(Map.copyOf(schemas), clock.instant().plus(keep.compareTo(LISTING_LIFETIME) > 0 ? LISTING_LIFETIME : keep));
                    listings.put(endpoint, listing);
                    return CompletableFuture.completedFuture(listing);
                });
    }

    private CompletionStage<Map<String, Object>> post(URI endpoint, String authorization, String method, Map<String, Object> params,
            List<McpHeaders.Param> toolHeaders, String progressToken, Duration timeout, Consumer<Progress> progress) {
        return post(endpoint, authorization, method, params, toolHeaders, progressToken, timeout, progress, false);
    }

    /**
     * @param toolHeaders for {@code tools/call}, the parameters the tool mirrors into headers
     * @param tasks       whether the request declares the tasks extension: the server may answer a call with a task
     */
    private CompletionStage<Map<String, Object>> post(URI endpoint, String authorization, String method, Map<String, Object> params,
            List<McpHeaders.Param> toolHeaders, String progressToken, Duration timeout, Consumer<Progress> progress, boolean tasks) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("io.modelcontextprotocol/protocolVersion", VERSION);
        meta.put("io.modelcontextprotocol/clientInfo", clientInfo);
        Map<String, Object> declared = new LinkedHashMap<>(capabilities);
        if (tasks) {
            declared.put("extensions", Map.of(TASKS, Map.of()));
        }
        meta.put("io.modelcontextprotocol/clientCapabilities", declared);
        if (progressToken != null) {
            meta.put("progressToken", progressToken);
        }
        Map<String, Object> withMeta = new LinkedHashMap<>(params);
        withMeta.put("_meta", meta);
        String id = UUID.randomUUID().toString();
        String body;
        try {
            body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "method", method, "params", withMeta));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", VERSION)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        McpHeaders.forRequest(method, params, toolHeaders).forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        Lines lines = new Lines(id, answer, progressToken, progress);
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.fromLineSubscriber(lines)).whenComplete((response, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else if (!answer.isDone()) {
                answer.completeExceptionally(new IOException("HTTP " + response.statusCode() + " from " + endpoint + " without a JSON-RPC response to " + method));
            }
        });
        return answer;
    }

    /** Reads a response body line by line: one JSON object, or an event stream of messages. */
    private final class Lines implements Flow.Subscriber<String> {
        private final String id;
        private final CompletableFuture<Map<String, Object>> answer;
        private final String progressToken;
        private final Consumer<Progress> progress;
        private final StringBuilder plain = new StringBuilder();
        private final StringBuilder data = new StringBuilder();
        private boolean stream;

        Lines(String id, CompletableFuture<Map<String, Object>> answer, String progressToken, Consumer<Progress> progress) {
            this.id = id;
            this.answer = answer;
            this.progressToken = progressToken;
            this.progress = progress;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("data:") || line.startsWith("event:") || line.startsWith("id:") || line.startsWith(":")) {
                stream = true;
            }
            if (!stream) {
                plain.append(line);
                return;
            }
            if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            } else if (line.isEmpty() && data.length() > 0) {
                message(data.toString());
                data.setLength(0);
            }
        }

        @Override
        public void onError(Throwable failure) {
            answer.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            if (data.length() > 0) {
                message(data.toString());
            }
            if (!stream && plain.length() > 0) {
                message(plain.toString());
            }
        }

        private void message(String text) {
            Map<String, Object> message;
            try {
                message = json.readValue(text, JSON_OBJECT);
            } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(new IOException("Not a JSON-RPC message: " + text, e));
                return;
            }
            if (id.equals(String.valueOf(message.get("id"))) || (message.get("id") == null && message.containsKey("error"))) {
                answer.complete(message);
            } else if ("notifications/progress".equals(message.get("method")) && message.get("params") instanceof Map<?, ?> params
                    && progressToken != null && progressToken.equals(String.valueOf(params.get("progressToken")))
                    && params.get("progress") instanceof Number value) {
                progress.accept(new Progress(value.doubleValue(), params.get("total") instanceof Number total ? total.doubleValue() : null,
                        params.get("message") == null ? null : params.get("message").toString()));
            }
        }
    }
}
