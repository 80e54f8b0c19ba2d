/**
 * The embedded Camunda engine: built on the container's JTA transaction manager and datasource,
 * its job executor on container-managed threads, its models deployed, its readiness reported.
 * One of the few packages that may use {@code org.camunda} types.
 */
package io.statehouse.engine;
