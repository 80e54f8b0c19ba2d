package io.statehouse.catalog;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {name}} placeholders in descriptor texts. Names are identifiers, so JSON braces in a text
 * ({@code {"id": …}}) are left alone, and so is a placeholder nobody gave a value for.
 */
final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

    private Placeholders() {
    }

    static String substitute(String text, Map<String, String> values) {
        return PLACEHOLDER.matcher(text).replaceAll(match -> Matcher.quoteReplacement(values.getOrDefault(match.group(1), match.group())));
    }
}
