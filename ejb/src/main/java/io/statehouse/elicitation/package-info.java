/**
 * Elicitation forms: an MCP {@code requestedSchema} read into form fields, and a person's answer
 * checked against it, field by field, before anything is sent back to the server that asked.
 */
package io.statehouse.elicitation;
