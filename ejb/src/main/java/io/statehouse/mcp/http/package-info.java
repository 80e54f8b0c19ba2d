/**
 * The HTTP headers of MCP 2026-07-28 (SEP-2243), for both directions: {@code Mcp-Method} and
 * {@code Mcp-Name} from the body, {@code Mcp-Param-*} from the tool parameters a server marks with
 * {@code x-mcp-header}, their encoding, and the check of a request's headers against its body.
 * Plain Java, independent of the engine and of the MCP SDK.
 */
package io.statehouse.mcp.http;
