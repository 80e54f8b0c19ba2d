package io.statehouse.mcp.server.protocol;

import reactor.core.publisher.Mono;

/**
 * Answers the requests of one method in place of the SDK's server, for what the SDK fixes when it is
 * built (such as its completion handlers), which the catalog cannot, since it follows deployments.
 */
@FunctionalInterface
public interface OwnAnswer {

    /** @return the request's result; a failing {@link io.modelcontextprotocol.spec.McpError} is its JSON-RPC error */
    Mono<Object> answer(Object params);
}
