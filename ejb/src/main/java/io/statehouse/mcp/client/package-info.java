/**
 * Statehouse as an MCP client: the registry of remote MCP servers and the calls of their tools, on
 * the MCP Java SDK's async client. Everything the server asks while a call runs is handed to a
 * {@link io.statehouse.mcp.client.ToolCallListener} in our own types, so the engine side never sees
 * an SDK or Reactor type.
 */
package io.statehouse.mcp.client;
