/**
 * The embedded Camunda engine and nothing else: built on the container's JTA transaction manager and
 * datasource, its job executor on container-managed threads, Statehouse's own models deployed, each
 * feature's {@code ProcessEnginePlugin} applied, and work that leaves a transaction run after its commit.
 */
package io.statehouse.engine;
