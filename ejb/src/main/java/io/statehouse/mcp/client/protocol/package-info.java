/**
 * The protocol side of Statehouse as an MCP client: a tool call on the MCP Java SDK's async client
 * (the stateful sessions of 2025-11-25), everything the remote server asks handed to a
 * {@link io.statehouse.mcp.client.ToolCallListener}, so the engine side never sees an SDK or Reactor type.
 */
package io.statehouse.mcp.client.protocol;
