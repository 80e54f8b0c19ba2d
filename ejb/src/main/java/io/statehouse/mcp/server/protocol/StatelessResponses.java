package io.statehouse.mcp.server.protocol;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * MCP 2026-07-28 over HTTP: a request is answered at once as JSON, or, for a call that takes time,
 * on an event stream that carries its progress first. No session; a client that closes the stream
 * cancels the request in flight, as the specification says: a tool call's run is cancelled then.
 */
public final class StatelessResponses {

    private static final Logger LOG = Logger.getLogger(StatelessResponses.class.getName());

    private final McpJsonMapper json;
    private final StatelessServer server;
    /** The streams open now, each written a comment every heartbeat so that a client that has gone is noticed. */
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    /** Set when Statehouse stops: the streams it closes then were not closed by their clients, and cancel nothing. */
    private volatile boolean stopping;

    /**
     * @param heartbeat how often an open stream is written an SSE comment: a client that closed its
     *                  connection is noticed then at the latest (and its request cancelled)
     */
    public StatelessResponses(StatelessServer server, Duration heartbeat, ScheduledExecutorService scheduler) {
        this.json = McpJsonDefaults.getMapper();
        this.server = server;
        scheduler.scheduleWithFixedDelay(() -> open.forEach(Stream::heartbeat), heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Statehouse stops: the streams end with it, and the runs of their calls go on after the restart. */
    void stop() {
        stopping = true;
    }

    /** @param user the authenticated caller, or null */
    void serve(McpSchema.JSONRPCMessage message, String user, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!(message instanceof McpSchema.JSONRPCRequest call)) {
            // Over HTTP the core protocol has no notifications or responses from the client in this era.
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        var mismatch = server.headerMismatch(call, request::getHeader);
        if (mismatch.isPresent()) {
            HttpReplies.json(json, response, mismatch.get().status(), mismatch.get().body());
            return;
        }
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Stream stream = new Stream(gone);
        StatelessServer.Reply reply = server.handle(call, request.getHeader(HttpHeaders.PROTOCOL_VERSION), user, stream::send, gone);
        if (reply instanceof StatelessServer.Now now) {
            HttpReplies.json(json, response, now.status(), now.body());
            return;
        }
        AsyncContext async = HttpReplies.startStream(request, response);
        HttpReplies.onEnd(async, () -> {
            if (!stopping) {
                gone.complete(null);
            }
        });
        stream.open(async, response.getWriter());
        open.add(stream);
        gone.whenComplete((done, failure) -> open.remove(stream));
        ((StatelessServer.Later) reply).body().whenComplete((body, failure) -> {
            stream.send(body != null ? body : StatelessServer.error(call.id(), McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "The request failed: " + (failure == null ? "no answer" : HttpReplies.rootMessage(failure)), null));
            stream.end();
        });
    }

    /** The event stream of one request; what is sent before it opens waits for it. */
    private final class Stream {
        private final CompletableFuture<Void> gone;
        private final List<Map<String, Object>> early = new ArrayList<>();
        private AsyncContext async;
        private PrintWriter writer;

        Stream(CompletableFuture<Void> gone) {
            this.gone = gone;
        }

        synchronized void open(AsyncContext async, PrintWriter writer) {
            this.async = async;
            this.writer = writer;
            early.forEach(this::write);
            early.clear();
        }

        synchronized void send(Map<String, Object> message) {
            if (writer == null) {
                early.add(message);
            } else {
                write(message);
            }
        }

        synchronized void end() {
            if (async != null && !gone.isDone()) {
                try {
                    async.complete();
                } catch (IllegalStateException e) {
                    LOG.fine(() -> "The stream had ended already: " + e.getMessage());
                }
            }
        }

        private void write(Map<String, Object> message) {
            try {
                write("event: message\ndata: " + json.writeValueAsString(message) + "\n\n");
            } catch (IOException e) {
                LOG.fine(() -> "Could not write to a " + StatelessServer.VERSION + " stream: " + e.getMessage());
            }
        }

        /** An SSE comment, which a client ignores: writing it is how a closed connection shows. */
        synchronized void heartbeat() {
            if (writer != null) {
                write(":\n\n");
            }
        }

        private void write(String text) {
            if (gone.isDone()) {
                return;
            }
            writer.write(text);
            writer.flush();
            if (writer.checkError() && !stopping) {
                gone.complete(null);
            }
        }
    }
}
