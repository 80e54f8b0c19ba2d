package io.statehouse.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A family of resources: a URI template with simple {@code {variable}}s (one path segment each, as
 * the MCP SDK matches them), contents in which the variables are substituted, and the values a client
 * may complete each variable with.
 *
 * @param completions per variable, the values {@code completion/complete} suggests
 */
public record ResourceTemplate(String uriTemplate, String name, String title, String description, Contents contents,
        Map<String, List<String>> completions) {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]+)\\}");

    public ResourceTemplate {
        Objects.requireNonNull(uriTemplate, "uriTemplate");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contents, "contents");
        completions = Map.copyOf(completions);
    }

    /** The template's variables, in the order they appear. */
    public List<String> variables() {
        List<String> names = new ArrayList<>();
        Matcher variable = VARIABLE.matcher(uriTemplate);
        while (variable.find()) {
            names.add(variable.group(1));
        }
        return names;
    }

    /** The contents of a concrete URI, or empty when the URI does not fit the template. */
    public Optional<Contents> read(String uri) {
        StringBuilder regex = new StringBuilder();
        Matcher variable = VARIABLE.matcher(uriTemplate);
        int literal = 0;
        while (variable.find()) {
            regex.append(Pattern.quote(uriTemplate.substring(literal, variable.start()))).append("([^/]+?)");
            literal = variable.end();
        }
        regex.append(Pattern.quote(uriTemplate.substring(literal)));
        Matcher match = Pattern.compile(regex.toString()).matcher(uri);
        if (!match.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> names = variables();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), match.group(i + 1));
        }
        return Optional.of(contents.substituted(values));
    }
}
