/**
 * Multi round-trip requests (MCP 2026-07-28, SEP-2322), which MCP Java SDK 2.1.0 does not implement:
 * the {@code requestState} a server hands its client between rounds, and the rounds themselves.
 * Kept apart, on the SDK's schema types where they fit, to be replaced when the SDK catches up.
 */
package io.statehouse.mcp.mrtr;
