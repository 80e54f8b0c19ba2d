/**
 * Statehouse as an MCP client, its port: the registry of remote MCP servers, a tool call, the questions a
 * remote server asks while it runs and their answers, in our own types. The protocol side
 * ({@code protocol}) and the engine side ({@code engine}) meet only here.
 */
package io.statehouse.mcp.client;
