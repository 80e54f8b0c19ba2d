/**
 * Sampling providers: the models that answer an MCP server's {@code sampling/createMessage} when a
 * run's element names a provider other than the human one, with their routing and budgets. Our own
 * types only, no Camunda or MCP SDK types; the configuration is checked when the engine has started.
 */
package io.statehouse.sampling;
