/**
 * Agent runs as a domain: what a run records while it waits (its progress), independent of the
 * engine and of MCP.
 */
package io.statehouse.run;
