package io.statehouse.mcp.server.protocol;

import java.util.Map;

/**
 * The idempotency key of a {@code tools/call}. MCP 2026-07-28 names none (SEP-3182 proposed
 * {@code params.idempotencyKey} and was closed unmerged), so Statehouse reads its own
 * {@code _meta} key {@value #META_KEY} first and that proposal's field second: one key per call
 * the caller means, 1 to {@value #MAX_LENGTH} characters, scoped to the caller's user.
 */
final class IdempotencyKeys {

    /** Where a caller puts the key. */
    static final String META_KEY = "io.statehouse/idempotencyKey";
    /** The field SEP-3182 proposed, read as well. */
    static final String PARAM = "idempotencyKey";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * @return the call's key, or null when it carries none
     * @throws IllegalArgumentException for a key that is not a string of 1 to 255 characters
     */
    static String of(Map<?, ?> meta, Map<?, ?> params) {
        Object key = meta != null && meta.containsKey(META_KEY) ? meta.get(META_KEY) : params == null ? null : params.get(PARAM);
        if (key == null) {
            return null;
        }
        if (!(key instanceof String text) || text.isBlank() || text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("The idempotency key (_meta \"" + META_KEY + "\") must be a string of 1 to " + MAX_LENGTH + " characters");
        }
        return text;
    }
}
