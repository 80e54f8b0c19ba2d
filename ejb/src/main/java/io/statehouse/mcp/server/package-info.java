/**
 * Statehouse as an MCP server at {@code /statehouse/mcp}: deployed processes marked as tools,
 * served on the MCP Java SDK's Streamable HTTP transport with stateful sessions.
 */
package io.statehouse.mcp.server;
