/**
 * Multi round-trip requests of MCP 2026-07-28 (SEP-2322) as a server, which MCP Java SDK 2.1.0 does not
 * implement: a tool call's rounds of questions for its caller, and the signed one-use
 * {@code requestState} handed to the caller between rounds. Kept apart, to be replaced when the SDK
 * catches up.
 */
package io.statehouse.mcp.server.protocol.rounds;
