/**
 * JAX-RS applications: Camunda's engine REST API at {@code /statehouse/engine-rest}, and Statehouse's
 * own REST API at {@code /statehouse/api} (the registry of remote MCP servers, sampling usage), both
 * behind HTTP Basic authentication against the engine's identity service.
 */
package io.statehouse.web.rest;
