/**
 * The engine side of Statehouse as an MCP server: deployed processes marked as tools, started by
 * {@code tools/call}, and the ends of their runs reported back.
 */
package io.statehouse.engine.tools;
