/**
 * The MCP catalog as a domain: the resources, resource templates and prompts that operators and
 * modelers ship in deployments as {@code *.mcp.json} descriptors, independent of the engine and of MCP.
 */
package io.statehouse.catalog;
