/**
 * The engine side of the MCP catalog: {@code *.mcp.json} descriptors read from the deployments in
 * Camunda's repository, the newest deployment of each in force.
 */
package io.statehouse.catalog.engine;
