package io.statehouse.mcp.server.protocol;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The stateful sessions of Streamable HTTP (2025-03-26 to 2025-11-25), as the SDK's server's transport,
 * without a thread per waiting call. The SDK's servlet blocks a container thread on every POST until
 * the tool has answered; here a request starts the servlet's async mode, subscribes to the SDK
 * session's answer and returns the thread at once. Whatever the run sends later (progress, questions,
 * the result) is written by the thread that produced it.
 *
 * <p>It also does what the SDK's server has no hook for: {@code notifications/cancelled} from the
 * client reaches a {@link Cancellations} listener; a request that the server sent (a question to the
 * caller) can be withdrawn with {@link #withdraw}; a request method can be answered here instead of by
 * the SDK's server ({@link #answerItself}); and sessions that nobody used for the configured idle
 * time, with no stream open, are closed. Closing a session ends its streams and nothing else.
 */
public final class StatefulSessions implements McpStreamableServerTransportProvider {

    /** Transport context key: the authenticated caller's user id. */
    static final String USER_KEY = "statehouse.user";
    /**
     * Transport context key: the request being handled, as {@link #requestKey(Object)} writes its
     * JSON-RPC id; {@link Cancellations} names requests the same way.
     */
    static final String REQUEST_KEY = "statehouse.request";
    /** The {@code _meta} key by which a request to the client can be withdrawn later. */
    static final String WITHDRAW_KEY = "io.statehouse/question";

    private static final Logger LOG = Logger.getLogger(StatefulSessions.class.getName());
    private static final String CANCELLED = "notifications/cancelled";

    private final McpJsonMapper json;
    private final Duration idleTimeout;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Outgoing> withdrawable = new ConcurrentHashMap<>();
    private final Map<String, OwnAnswer> ownAnswers = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeping;
    private volatile McpStreamableServerSession.Factory sessionFactory;
    private volatile Cancellations cancellations = (session, request, reason) -> { };
    private volatile boolean closing;

    /**
     * @param idleTimeout how long a session with no request and no open stream lives
     * @param scheduler   runs the sweep for idle sessions
     */
    public StatefulSessions(Duration idleTimeout, ScheduledExecutorService scheduler) {
        this.json = McpJsonDefaults.getMapper();
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("The idle timeout of MCP sessions must be positive, not " + idleTimeout);
        }
        this.idleTimeout = idleTimeout;
        long every = Math.max(1000, Math.min(idleTimeout.toMillis() / 4, 60_000));
        this.sweeping = scheduler.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    /** Who hears {@code notifications/cancelled}; the request's stream is closed after it returns. */
    public void onCancelled(Cancellations listener) {
        this.cancellations = Objects.requireNonNull(listener);
    }

    /**
     * Requests of the method are answered by {@code answer} within an initialized session; the SDK's
     * server never sees them.
     */
    public void answerItself(String method, OwnAnswer answer) {
        ownAnswers.put(Objects.requireNonNull(method), Objects.requireNonNull(answer));
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);
    }

    /** Whether the server is stopping; the front door then refuses everything. */
    boolean closing() {
        return closing;
    }

    /**
     * A POST of the stateful era: {@code initialize} opens a session; anything else belongs to the
     * session its {@code Mcp-Session-Id} names.
     *
     * @param user the authenticated caller, or null
     */
    void post(McpSchema.JSONRPCMessage message, String user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (message instanceof McpSchema.JSONRPCRequest call && McpSchema.METHOD_INITIALIZE.equals(call.method())) {
            initialize(call, response);
            return;
        }
        Session session = session(request, response, message instanceof McpSchema.JSONRPCRequest call ? call.id() : null);
        if (session == null) {
            return;
        }
        Map<String, Object> entries = new HashMap<>();
        if (user != null) {
            entries.put(USER_KEY, user);
        }
        if (message instanceof McpSchema.JSONRPCNotification notification) {
            if (CANCELLED.equals(notification.method())) {
                cancel(session, notification.params());
            } else {
                subscribeQuietly(session.sdk.accept(notification), entries, "notification " + notification.method());
            }
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
        } else if (message instanceof McpSchema.JSONRPCResponse answer) {
            subscribeQuietly(session.sdk.accept(answer), entries, "response " + answer.id());
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
        } else if (message instanceof McpSchema.JSONRPCRequest call) {
            OwnAnswer own = ownAnswers.get(call.method());
            if (own != null) {
                answerOwn(session, call, own, request, response);
            } else {
                entries.put(REQUEST_KEY, requestKey(call.id()));
                respond(session, call, entries, request, response);
            }
        }
    }

    /** A GET: the session's stream for what the server sends outside any request. */
    void listen(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!Objects.toString(request.getHeader(HttpHeaders.ACCEPT), "").contains(HttpReplies.EVENT_STREAM)) {
            HttpReplies.error(json, response, 406, null, McpSchema.ErrorCodes.INVALID_REQUEST, "The Accept header must name text/event-stream");
            return;
        }
        Session session = session(request, response, null);
        if (session == null) {
            return;
        }
        AsyncContext async = HttpReplies.startStream(request, response);
        SessionStream stream = new SessionStream(session.id(), async, response.getWriter(), null, json, this::sentWithdrawable);
        McpStreamableServerSession.McpStreamableServerSessionStream listening = session.sdk.listeningStream(stream);
        HttpReplies.onEnd(async, () -> {
            stream.markClosed();
            listening.close();
            session.streams.remove(stream);
            session.touch();
        });
        session.streams.add(stream);
    }

    /** A DELETE: the client ends its session. */
    void end(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Session session = session(request, response, null);
        if (session == null) {
            return;
        }
        close(session, "the client ended it");
        response.setStatus(HttpServletResponse.SC_OK);
    }

    private Session session(HttpServletRequest request, HttpServletResponse response, Object requestId) throws IOException {
        String id = request.getHeader(HttpHeaders.MCP_SESSION_ID);
        if (id == null || id.isBlank()) {
            HttpReplies.error(json, response, 400, requestId, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Mcp-Session-Id header required: send initialize first");
            return null;
        }
        Session session = sessions.get(id);
        if (session == null) {
            // The spec's answer for an unknown or expired session: the client starts a new one.
            HttpReplies.error(json, response, 404, requestId, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "Session " + id + " is unknown or has expired; initialize a new session");
            return null;
        }
        session.touch();
        return session;
    }

    private void initialize(McpSchema.JSONRPCRequest call, HttpServletResponse response) throws IOException {
        McpStreamableServerSession.Factory factory = sessionFactory;
        if (factory == null) {
            HttpReplies.error(json, response, 503, call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "The MCP server is not ready yet");
            return;
        }
        McpSchema.InitializeRequest initialize;
        try {
            initialize = json.convertValue(call.params(), new TypeRef<McpSchema.InitializeRequest>() { });
        } catch (RuntimeException e) {
            HttpReplies.error(json, response, 400, call.id(), McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid initialize parameters: " + HttpReplies.rootMessage(e));
            return;
        }
        McpStreamableServerSession.McpStreamableServerSessionInit init = factory.startSession(initialize);
        McpSchema.InitializeResult result;
        try {
            // The SDK computes the result without waiting for anything outside this JVM.
            result = init.initResult().block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            HttpReplies.error(json, response, 500, call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, "Could not initialize the session: " + HttpReplies.rootMessage(e));
            return;
        }
        Session session = new Session(init.session());
        sessions.put(session.id(), session);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(HttpReplies.JSON);
        response.setCharacterEncoding("UTF-8");
        response.setHeader(HttpHeaders.MCP_SESSION_ID, session.id());
        response.getWriter().write(json.writeValueAsString(McpSchema.JSONRPCResponse.result(call.id(), result)));
        LOG.fine(() -> "MCP session " + session.id() + " opened by " + initialize.clientInfo());
    }

    /** A request's answer goes out as an SSE stream; the container thread returns right away. */
    private void respond(Session session, McpSchema.JSONRPCRequest call, Map<String, Object> entries, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        AsyncContext async = HttpReplies.startStream(request, response);
        SessionStream stream = new SessionStream(session.id(), async, response.getWriter(), call.id(), json, this::sentWithdrawable);
        McpStreamableServerSession.McpStreamableServerSessionStream sdkStream = session.sdk.responseStream(stream);
        session.streams.add(stream);
        HttpReplies.onEnd(async, () -> {
            stream.markClosed();
            sdkStream.close();
            session.streams.remove(stream);
            session.touch();
        });
        session.inFlight.put(requestKey(call.id()), stream);
        McpTransportContext transportContext = McpTransportContext.create(Map.copyOf(entries));
        stream.subscription = sdkStream.handle(call)
                .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, transportContext))
                .subscribe(done -> { }, failure -> {
                    session.inFlight.remove(requestKey(call.id()), stream);
                    LOG.log(Level.INFO, "The answer to " + call.method() + " (request " + call.id() + ") of session " + session.id()
                            + " was not delivered: " + HttpReplies.rootMessage(failure));
                    stream.close();
                }, () -> session.inFlight.remove(requestKey(call.id()), stream));
    }

    /** Like {@link #respond}, with the answer from {@code own}: one SSE event, then the stream ends. */
    private void answerOwn(Session session, McpSchema.JSONRPCRequest call, OwnAnswer own, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        AsyncContext async = HttpReplies.startStream(request, response);
        SessionStream stream = new SessionStream(session.id(), async, response.getWriter(), call.id(), json, this::sentWithdrawable);
        session.streams.add(stream);
        HttpReplies.onEnd(async, () -> {
            stream.markClosed();
            session.streams.remove(stream);
            session.touch();
        });
        Mono.defer(() -> own.answer(call.params()))
                .map(result -> McpSchema.JSONRPCResponse.result(call.id(), result))
                .onErrorResume(failure -> Mono.just(McpSchema.JSONRPCResponse.error(call.id(),
                        failure instanceof McpError error && error.getJsonRpcError() != null ? error.getJsonRpcError()
                                : new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, HttpReplies.rootMessage(failure), null))))
                .flatMap(stream::sendMessage)
                .doFinally(signal -> stream.close())
                .subscribe(done -> { }, failure -> LOG.log(Level.INFO, "The answer to " + call.method() + " (request " + call.id()
                        + ") of session " + session.id() + " was not delivered: " + HttpReplies.rootMessage(failure)));
    }

    private void cancel(Session session, Object params) {
        Map<?, ?> values = params instanceof Map<?, ?> map ? map : Map.of();
        Object requestId = values.get("requestId");
        if (requestId == null) {
            return;
        }
        String reason = values.get("reason") == null ? "no reason given" : values.get("reason").toString();
        // The client may have dropped the request's stream already: the listener hears it all the same.
        try {
            cancellations.cancelled(session.id(), requestKey(requestId), reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Cancelling request " + requestId + " of session " + session.id() + " failed", e);
        }
        SessionStream stream = session.inFlight.remove(requestKey(requestId));
        if (stream != null) {
            Disposable subscription = stream.subscription;
            if (subscription != null) {
                subscription.dispose();
            }
            stream.close();
        }
    }

    /**
     * Withdraws a request that the server sent to a client (a question the Tasklist answered first):
     * {@code notifications/cancelled} on the stream it went out on. The request must have carried
     * {@code _meta} {@value #WITHDRAW_KEY} with this key.
     */
    public void withdraw(String key, String reason) {
        Outgoing outgoing = withdrawable.remove(key);
        if (outgoing == null) {
            return;
        }
        Map<String, Object> params = new HashMap<>();
        params.put("requestId", outgoing.requestId());
        params.put("reason", reason);
        outgoing.stream().sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, CANCELLED, params))
                .onErrorResume(e -> Mono.empty()).subscribe();
    }

    private void sentWithdrawable(String key, SessionStream stream, Object requestId) {
        withdrawable.put(key, new Outgoing(stream.sessionId(), stream, requestId));
    }

    /** Forgets a withdrawable request that the client has answered. */
    public void forget(String key) {
        withdrawable.remove(key);
    }

    private static void subscribeQuietly(Mono<Void> work, Map<String, Object> entries, String what) {
        McpTransportContext transportContext = McpTransportContext.create(Map.copyOf(entries));
        work.contextWrite(ctx -> ctx.put(McpTransportContext.KEY, transportContext))
                .subscribe(v -> { }, e -> LOG.log(Level.FINE, "MCP " + what + " was not taken: " + e.getMessage(), e));
    }

    /** A JSON-RPC id as one string: ids are strings or numbers, and 7 and 7.0 are the same request. */
    static String requestKey(Object requestId) {
        return requestId instanceof Number number ? "n:" + number.longValue() : "s:" + requestId;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Session session : List.copyOf(sessions.values())) {
            if (session.streams.isEmpty() && now - session.lastUsed > idleTimeout.toNanos()) {
                close(session, "idle for " + idleTimeout);
            }
        }
    }

    private void close(Session session, String why) {
        if (!sessions.remove(session.id(), session)) {
            return;
        }
        LOG.fine(() -> "MCP session " + session.id() + " closed: " + why + " (its runs go on)");
        for (SessionStream stream : List.copyOf(session.streams)) {
            stream.close();
        }
        withdrawable.values().removeIf(outgoing -> outgoing.sessionId().equals(session.id()));
        session.sdk.closeGracefully().onErrorResume(e -> Mono.empty()).subscribe();
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Mono.fromRunnable(() -> {
            for (Session session : sessions.values()) {
                session.sdk.sendNotification(method, params)
                        .onErrorResume(e -> Mono.empty()).subscribe();
            }
        });
    }

    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        Session session = sessions.get(sessionId);
        return session == null ? Mono.empty() : session.sdk.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            closing = true;
            sweeping.cancel(false);
            for (Session session : List.copyOf(sessions.values())) {
                close(session, "the server is stopping");
            }
        });
    }

    /** One MCP session: the SDK's session and the streams open in it. */
    private static final class Session {
        final McpStreamableServerSession sdk;
        final Set<SessionStream> streams = ConcurrentHashMap.newKeySet();
        final Map<String, SessionStream> inFlight = new ConcurrentHashMap<>();
        volatile long lastUsed = System.nanoTime();

        Session(McpStreamableServerSession sdk) {
            this.sdk = sdk;
        }

        String id() {
            return sdk.getId();
        }

        void touch() {
            lastUsed = System.nanoTime();
        }
    }

    /** A request sent to a client that can be withdrawn: the stream it went out on, its id there. */
    private record Outgoing(String sessionId, SessionStream stream, Object requestId) {
    }
}
