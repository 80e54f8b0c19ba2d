package io.statehouse.catalog;

import java.util.Map;
import java.util.Objects;

/**
 * What reading a resource gives: text, or binary data as base64 (MCP's {@code blob}).
 *
 * @param mimeType the media type, never null: MCP clients expect one
 * @param text     the text, or null for binary contents
 * @param blob     the base64 data, or null for text contents
 */
public record Contents(String mimeType, String text, String blob) {

    public Contents {
        Objects.requireNonNull(mimeType, "mimeType");
        if ((text == null) == (blob == null)) {
            throw new IllegalArgumentException("Contents are either text or a blob");
        }
    }

    public static Contents text(String mimeType, String text) {
        return new Contents(mimeType, text, null);
    }

    public static Contents blob(String mimeType, String base64) {
        return new Contents(mimeType, null, base64);
    }

    /** The same contents with {@code {name}} placeholders in the text replaced; binary contents stay as they are. */
    Contents substituted(Map<String, String> values) {
        return text == null ? this : text(mimeType, Placeholders.substitute(text, values));
    }
}
