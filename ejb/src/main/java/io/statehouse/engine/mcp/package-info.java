/**
 * The engine side of Statehouse as an MCP client: the worker that serves the "Call the MCP tool"
 * external task, and the tasks that the server's questions become in the calling process instance.
 */
package io.statehouse.engine.mcp;
