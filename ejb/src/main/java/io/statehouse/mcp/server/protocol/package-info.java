/**
 * The protocol side of Statehouse as an MCP server at {@code /statehouse/mcp}: the Streamable HTTP
 * front door for both eras, the stateful sessions of 2025-11-25 on the MCP Java SDK, the stateless
 * requests of 2026-07-28, and the mapping of tools, results and the MCP catalog onto the SDK's schema
 * types that both eras share.
 */
package io.statehouse.mcp.server.protocol;
