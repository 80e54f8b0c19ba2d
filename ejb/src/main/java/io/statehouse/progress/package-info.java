/**
 * Progress as a domain: what a run or a call reports while it works, coalesced before it is written and
 * always going forward for its caller; independent of the engine and of MCP.
 */
package io.statehouse.progress;
