/**
 * Several nodes on one database as one Statehouse, its port: a signal that one node sends with a
 * transaction and every node hears once it has committed, so that the node holding a call in memory
 * (a future, an open stream) learns at once what another node changed. The database stays the source
 * of truth: a signal only wakes; a periodic sweep of what still waits heals a missed one.
 */
package io.statehouse.cluster;
