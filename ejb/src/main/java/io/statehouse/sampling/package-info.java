/**
 * Sampling providers: the models that answer an MCP server's {@code sampling/createMessage} when a
 * run's element names a provider other than the human one. Our own types only, no engine or SDK.
 */
package io.statehouse.sampling;
