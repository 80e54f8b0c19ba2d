/**
 * The engine side of Statehouse as an MCP client: the worker that serves the "Call the MCP tool"
 * external task and assembles the caller, and the tasks that a remote server's questions become in the
 * calling process instance.
 */
package io.statehouse.mcp.client.engine;
