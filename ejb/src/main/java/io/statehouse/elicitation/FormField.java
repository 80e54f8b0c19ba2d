package io.statehouse.elicitation;

import java.math.BigDecimal;
import java.util.List;

/**
 * One field of an elicitation form, as the MCP specification (2025-11-25) allows it: text, a
 * number, a yes/no, a single choice or a multiple choice. Names are the schema's property names;
 * labels are what a person reads.
 */
public sealed interface FormField {

    String name();

    String title();

    String description();

    boolean required();

    /** What a person reads: the title, else the property name. */
    default String label() {
        return title() == null || title().isBlank() ? name() : title();
    }

    /** A string, optionally with a format and length bounds (counted in Unicode code points). */
    record TextField(String name, String title, String description, boolean required,
                     Integer minLength, Integer maxLength, TextFormat format, String defaultValue) implements FormField {
    }

    /** A number, or with {@code integer} a whole number, optionally bounded (inclusive). */
    record NumberField(String name, String title, String description, boolean required,
                       boolean integer, BigDecimal minimum, BigDecimal maximum, BigDecimal defaultValue) implements FormField {
    }

    record BooleanField(String name, String title, String description, boolean required,
                        Boolean defaultValue) implements FormField {
    }

    /** One of a fixed set of values. */
    record ChoiceField(String name, String title, String description, boolean required,
                       List<Option> options, String defaultValue) implements FormField {
    }

    /** Any number of a fixed set of values, optionally bounded in count. */
    record MultiChoiceField(String name, String title, String description, boolean required,
                            List<Option> options, Integer minItems, Integer maxItems,
                            List<String> defaultValue) implements FormField {
    }

    /** A value to choose and the label a person sees for it (the value itself when untitled). */
    record Option(String value, String title) {
    }

    /** The string formats the specification allows. */
    enum TextFormat {
        EMAIL("email"), URI("uri"), DATE("date"), DATE_TIME("date-time");

        private final String json;

        TextFormat(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        static TextFormat of(String json) {
            for (TextFormat format : values()) {
                if (format.json.equals(json)) {
                    return format;
                }
            }
            return null;
        }
    }
}
