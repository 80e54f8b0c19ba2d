/**
 * A small MCP server of Statehouse's own at {@code /statehouse/demo-mcp}, on in the demo profile only:
 * expense tools that elicit, sample and report progress, so that Statehouse's MCP client can be tried
 * with no external server.
 */
package io.statehouse.mcp.demo;
