/**
 * The engine side of Statehouse as an MCP server: deployed processes marked as tools, started by
 * {@code tools/call}, their tasks for the caller, progress, incidents and ends heard in the engine and
 * reported back; it assembles the server at {@code /statehouse/mcp}.
 */
package io.statehouse.mcp.server.engine;
