package io.statehouse.mcp.server.protocol;

/**
 * Hears a client of the stateful era cancel one of its requests ({@code notifications/cancelled}),
 * which the SDK's server has no hook for.
 */
@FunctionalInterface
public interface Cancellations {

    /** @param requestKey the request's JSON-RPC id as {@link StatefulSessions#requestKey(Object)} writes it */
    void cancelled(String sessionId, String requestKey, String reason);
}
