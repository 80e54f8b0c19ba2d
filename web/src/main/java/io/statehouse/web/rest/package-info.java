/**
 * JAX-RS applications: Camunda's engine REST API at {@code /statehouse/engine-rest}, behind HTTP
 * Basic authentication against the engine's identity service.
 */
package io.statehouse.web.rest;
