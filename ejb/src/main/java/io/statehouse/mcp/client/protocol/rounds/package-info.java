/**
 * MCP 2026-07-28 as a client: a tool call on a server that answers in multi round-trip requests
 * (SEP-2322), which MCP Java SDK 2.1.0 does not implement; replaceable when the SDK catches up.
 */
package io.statehouse.mcp.client.protocol.rounds;
