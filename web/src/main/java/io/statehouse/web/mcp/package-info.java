/**
 * The MCP endpoint's registration in the web module: its servlet (built in the EJB module) and the
 * authentication in front of it. No tool logic here.
 */
package io.statehouse.web.mcp;
