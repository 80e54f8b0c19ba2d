/**
 * The engine side of the cluster's signals: on PostgreSQL, {@code NOTIFY} on the engine's own
 * connection (so a signal goes out with the transaction it belongs to) and one {@code LISTEN}
 * connection per node; on the embedded H2 default, delivery within this node after the commit.
 */
package io.statehouse.cluster.engine;
