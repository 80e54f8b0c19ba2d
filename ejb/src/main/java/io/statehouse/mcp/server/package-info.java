/**
 * Statehouse as an MCP server, its port: deployed processes as tools, a run started by a call, the
 * caller's channel that the run's tasks ask and report through, in our own types. The protocol side
 * ({@code protocol}) and the engine side ({@code engine}) meet only here.
 */
package io.statehouse.mcp.server;
