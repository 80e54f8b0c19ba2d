package io.statehouse.mcp.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpLoggableSession;
import io.modelcontextprotocol.spec.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import reactor.core.publisher.Mono;

/**
 * A client as the tools see it, without a network: the SDK's own exchange over a session that
 * records what the server sends (as the JSON that would go on the wire) and answers requests with
 * JSON, read by the SDK's mapper as a real client's answer would be.
 */
final class ScriptedClient implements McpLoggableSession {

    record Sent(String method, String json) {
    }

    static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    final List<Sent> requests = new ArrayList<>();
    final List<Sent> notifications = new ArrayList<>();
    private final Map<String, Function<String, String>> answers = new HashMap<>();
    private LoggingLevel minLoggingLevel = LoggingLevel.INFO;

    /** Answers every request of the given method with this JSON result. */
    ScriptedClient answering(String method, String resultJson) {
        return answering(method, params -> resultJson);
    }

    ScriptedClient answering(String method, Function<String, String> resultJsonForParams) {
        answers.put(method, resultJsonForParams);
        return this;
    }

    /** The SDK's exchange for a client that declared these capabilities; it checks elicitation schemas as in production. */
    McpSyncServerExchange exchange(ClientCapabilities capabilities) {
        return new McpSyncServerExchange(new McpAsyncServerExchange("session-1", this, capabilities,
                new Implementation("scripted-client", "1.0"), McpTransportContext.EMPTY,
                McpJsonDefaults.getSchemaValidator()));
    }

    List<Sent> notifications(String method) {
        return notifications.stream().filter(n -> n.method().equals(method)).toList();
    }

    static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeRef<Map<String, Object>>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> Mono<T> sendRequest(String method, Object params, TypeRef<T> resultType) {
        String json = write(params);
        requests.add(new Sent(method, json));
        Function<String, String> answer = answers.get(method);
        if (answer == null) {
            return Mono.error(new IllegalStateException("the scripted client has no answer for " + method));
        }
        try {
            return Mono.just(JSON.readValue(answer.apply(json), resultType));
        } catch (IOException e) {
            return Mono.error(e);
        }
    }

    @Override
    public Mono<Void> sendNotification(String method, Object params) {
        notifications.add(new Sent(method, write(params)));
        return Mono.empty();
    }

    @Override
    public void setMinLoggingLevel(LoggingLevel level) {
        this.minLoggingLevel = level;
    }

    @Override
    public boolean isNotificationForLevelAllowed(LoggingLevel level) {
        return level.level() >= minLoggingLevel.level();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    @Override
    public void close() {
    }
}
