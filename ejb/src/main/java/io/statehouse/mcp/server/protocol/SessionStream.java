package io.statehouse.mcp.server.protocol;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.AsyncContext;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One event stream of a stateful session, as the SDK's session writes to it: a POST's answer, or the
 * session's GET stream. Writes are serialized; a client that went away fails the write.
 */
final class SessionStream implements McpStreamableServerTransport {

    private static final Logger LOG = Logger.getLogger(SessionStream.class.getName());

    private final String sessionId;
    private final AsyncContext async;
    private final PrintWriter writer;
    private final Object requestId;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    volatile Disposable subscription;

    private final McpJsonMapper json;
    private final Withdrawable withdrawable;

    /** Hears of a request sent on a stream that can be withdrawn later (its {@code _meta} carries {@link StatefulSessions#WITHDRAW_KEY}). */
    @FunctionalInterface
    interface Withdrawable {
        void sent(String key, SessionStream stream, Object requestId);
    }

    SessionStream(String sessionId, AsyncContext async, PrintWriter writer, Object requestId, McpJsonMapper json, Withdrawable withdrawable) {
        this.sessionId = sessionId;
        this.async = async;
        this.writer = writer;
        this.requestId = requestId;
        this.json = json;
        this.withdrawable = withdrawable;
    }

    String sessionId() {
        return sessionId;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
        return Mono.fromRunnable(() -> {
            if (message instanceof McpSchema.JSONRPCRequest outgoing && outgoing.params() instanceof McpSchema.ElicitFormRequest elicit
                    && elicit.meta() != null && elicit.meta().get(StatefulSessions.WITHDRAW_KEY) != null) {
                withdrawable.sent(elicit.meta().get(StatefulSessions.WITHDRAW_KEY).toString(), this, outgoing.id());
            }
            lock.lock();
            try {
                if (closed) {
                    throw new IllegalStateException("The stream of session " + sessionId + " is closed");
                }
                String data = json.writeValueAsString(message);
                if (messageId != null) {
                    writer.write("id: " + messageId + "\n");
                }
                writer.write("event: message\ndata: " + data + "\n\n");
                writer.flush();
                if (writer.checkError()) {
                    throw new IllegalStateException("The client of session " + sessionId + " went away");
                }
            } catch (IOException e) {
                throw new IllegalStateException("Could not write to session " + sessionId + ": " + e.getMessage(), e);
            } finally {
                lock.unlock();
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return json.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    void markClosed() {
        closed = true;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            async.complete();
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "Stream of session " + sessionId + " was already complete", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "SSE stream of session " + sessionId + (requestId == null ? " (listening)" : " for request " + requestId);
    }
}
