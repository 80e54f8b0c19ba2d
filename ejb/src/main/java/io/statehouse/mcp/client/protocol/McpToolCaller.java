package io.statehouse.mcp.client.protocol;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.statehouse.mcp.client.ToolCall;
import io.statehouse.mcp.client.ToolCallFailedException;
import io.statehouse.mcp.client.ToolCallListener;
import io.statehouse.mcp.client.ToolOutcome;
import io.statehouse.mcp.client.protocol.rounds.RoundTripClient;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Calls one tool on one remote MCP server over Streamable HTTP, in the era the server speaks: a
 * server whose {@code server/discover} names MCP 2026-07-28 is called in rounds ({@link RoundCalls}),
 * any other in a stateful session of its own ({@link SessionCalls}). Everything the server asks goes
 * to the call's {@link ToolCallListener}, in our own types.
 */
public final class McpToolCaller {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final McpJsonMapper json = McpJsonDefaults.getMapper();
    private final RoundTripClient rounds;
    private final RoundCalls roundCalls;
    private final SessionCalls sessionCalls;

    /**
     * @param callbacks    where the listener is called: the container's managed executor, so that the
     *                     engine work it does runs on threads the container knows
     * @param pingInterval how often a session with a call in flight is pinged: the SDK does not notice
     *                     a server that went away while it waits for a result, so a failed ping is how
     *                     a lost session is found
     */
    public McpToolCaller(Executor callbacks, Duration pingInterval) {
        Scheduler scheduler = Schedulers.fromExecutor(callbacks);
        this.rounds = new RoundTripClient(HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(callbacks).build(),
                json, ClientIdentity.info(), ClientIdentity.capabilities(), Clock.systemUTC());
        this.roundCalls = new RoundCalls(rounds, scheduler);
        this.sessionCalls = new SessionCalls(scheduler, pingInterval, CONNECT_TIMEOUT);
    }

    /** Parses a tool's arguments written as a JSON object. */
    public Map<String, Object> parseArguments(String argumentsJson) {
        if (argumentsJson == null || argumentsJson.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> arguments = json.readValue(argumentsJson, ToolOutcomes.JSON_OBJECT);
            if (arguments == null) {
                throw new IllegalArgumentException("The tool's arguments must be a JSON object, not null");
            }
            return arguments;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("The tool's arguments are not a JSON object: " + CallFailures.firstLine(e.getMessage()), e);
        }
    }

    /**
     * Starts the call; the stage completes with the tool's result, or exceptionally with a
     * {@link ToolCallFailedException}. No thread waits while it runs.
     */
    public CompletionStage<ToolOutcome> call(ToolCall call, ToolCallListener listener) {
        return rounds.speaksModern(call.server().url(), call.server().authorization()).thenCompose(modern -> modern
                ? roundCalls.call(call, listener) : sessionCalls.call(call, listener));
    }

    /**
     * Goes on with a call in rounds (MCP 2026-07-28) whose round a restart interrupted.
     *
     * @param answers the round's answers by key, as {@code inputResponses} entries, kept or still to come
     */
    public CompletionStage<ToolOutcome> resume(ToolCall call, ToolCallListener listener, String requestState,
            Map<String, CompletionStage<Map<String, Object>>> answers) {
        return roundCalls.resume(call, listener, requestState, answers);
    }

    /**
     * Goes on following a call that became a task on its server (the tasks extension), after a restart.
     *
     * @param answers the answers of its last requests by key, kept or still to come, that the server has not been sent yet
     */
    public CompletionStage<ToolOutcome> resumeTask(ToolCall call, ToolCallListener listener, String taskId,
            Map<String, CompletionStage<Map<String, Object>>> answers) {
        return roundCalls.resumeTask(call, listener, taskId, answers);
    }
}
