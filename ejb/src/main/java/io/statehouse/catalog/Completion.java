package io.statehouse.catalog;

import java.util.List;
import java.util.Locale;

/**
 * Suggested values for an argument a client is typing ({@code completion/complete}).
 *
 * @param values  at most {@value #MAX_VALUES}, as MCP allows
 * @param total   how many values match in all
 * @param hasMore more match than {@code values} holds
 */
public record Completion(List<String> values, int total, boolean hasMore) {

    public static final int MAX_VALUES = 100;

    public Completion {
        values = List.copyOf(values);
    }

    /** The candidates that start with what was typed, ignoring case, in the declared order. */
    public static Completion of(List<String> candidates, String typed) {
        String prefix = typed == null ? "" : typed.toLowerCase(Locale.ROOT);
        List<String> matching = candidates.stream().filter(c -> c.toLowerCase(Locale.ROOT).startsWith(prefix)).toList();
        return new Completion(matching.stream().limit(MAX_VALUES).toList(), matching.size(), matching.size() > MAX_VALUES);
    }
}
