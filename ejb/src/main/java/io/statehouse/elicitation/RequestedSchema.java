package io.statehouse.elicitation;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import io.statehouse.elicitation.AnswerViolatesSchemaException.FieldViolation;
import io.statehouse.elicitation.FormField.BooleanField;
import io.statehouse.elicitation.FormField.ChoiceField;
import io.statehouse.elicitation.FormField.MultiChoiceField;
import io.statehouse.elicitation.FormField.NumberField;
import io.statehouse.elicitation.FormField.Option;
import io.statehouse.elicitation.FormField.TextField;
import io.statehouse.elicitation.FormField.TextFormat;

/**
 * The form an MCP server asks a person to fill in: the {@code requestedSchema} of an
 * {@code elicitation/create} in form mode, read into {@link FormField}s in the order the server
 * gave them, and the check of a person's answer against it.
 *
 * <p>Reading is strict about what the specification allows (flat properties of primitive types,
 * enums of strings) and says precisely what it does not accept; answers are checked the same way, so
 * that what goes back to the server always fits what it asked for.
 */
public final class RequestedSchema {

    // Deliberately simple: one @, no spaces, a dot in the domain. Mail servers decide the rest.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private final List<FormField> fields;

    private RequestedSchema(List<FormField> fields) {
        this.fields = List.copyOf(fields);
    }

    /** The fields in the order of the schema's properties. */
    public List<FormField> fields() {
        return fields;
    }

    /**
     * Reads a {@code requestedSchema}.
     *
     * @throws InvalidSchemaException naming the property and the rule it breaks
     */
    public static RequestedSchema parse(JsonObject schema) {
        if (schema == null) {
            throw new InvalidSchemaException("requestedSchema is missing");
        }
        if (!"object".equals(string(schema, "type", "requestedSchema"))) {
            throw new InvalidSchemaException("requestedSchema must have type \"object\"");
        }
        JsonObject properties = schema.containsKey("properties") ? object(schema, "properties", "requestedSchema") : JsonValue.EMPTY_JSON_OBJECT;
        Set<String> required = new HashSet<>();
        if (schema.containsKey("required")) {
            for (JsonValue name : array(schema, "required", "requestedSchema")) {
                if (!(name instanceof JsonString s) || !properties.containsKey(s.getString())) {
                    throw new InvalidSchemaException("requestedSchema.required names " + name + ", which is not a property");
                }
                required.add(s.getString());
            }
        }
        List<FormField> fields = new ArrayList<>();
        for (Map.Entry<String, JsonValue> property : properties.entrySet()) {
            if (!(property.getValue() instanceof JsonObject definition)) {
                throw new InvalidSchemaException("property " + property.getKey() + " must be a schema object");
            }
            fields.add(field(property.getKey(), definition, required.contains(property.getKey())));
        }
        return new RequestedSchema(fields);
    }

    private static FormField field(String name, JsonObject d, boolean required) {
        String where = "property " + name;
        String type = string(d, "type", where);
        String title = string(d, "title", where);
        String description = string(d, "description", where);
        if (type == null) {
            throw new InvalidSchemaException(where + " has no type");
        }
        return switch (type) {
            case "string" -> stringField(name, d, required, title, description, where);
            case "number", "integer" -> new NumberField(name, title, description, required, "integer".equals(type),
                    optionalNumber(d, "minimum", where), optionalNumber(d, "maximum", where),
                    optionalNumber(d, "default", where));
            case "boolean" -> new BooleanField(name, title, description, required,
                    d.containsKey("default") ? bool(d, "default", where) : null);
            case "array" -> multiChoiceField(name, d, required, title, description, where);
            default -> throw new InvalidSchemaException(where + " has type \"" + type
                    + "\"; elicitation allows string, number, integer, boolean and arrays of choices");
        };
    }

    private static FormField stringField(String name, JsonObject d, boolean required, String title, String description,
                                         String where) {
        String defaultValue = string(d, "default", where);
        if (d.containsKey("oneOf")) {
            return new ChoiceField(name, title, description, required, titledOptions(array(d, "oneOf", where), where + ".oneOf"),
                    defaultValue);
        }
        if (d.containsKey("enum")) {
            List<String> values = strings(array(d, "enum", where), where + ".enum");
            List<String> names = d.containsKey("enumNames") ? strings(array(d, "enumNames", where), where + ".enumNames") : null;
            if (names != null && names.size() != values.size()) {
                throw new InvalidSchemaException(where + ".enumNames must have one name per enum value");
            }
            List<Option> options = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                options.add(new Option(values.get(i), names == null ? values.get(i) : names.get(i)));
            }
            return new ChoiceField(name, title, description, required, nonEmpty(options, where), defaultValue);
        }
        Integer minLength = optionalCount(d, "minLength", where);
        Integer maxLength = optionalCount(d, "maxLength", where);
        if (minLength != null && maxLength != null && minLength > maxLength) {
            throw new InvalidSchemaException(where + " has minLength " + minLength + " above maxLength " + maxLength);
        }
        String format = string(d, "format", where);
        TextFormat textFormat = format == null ? null : TextFormat.of(format);
        if (format != null && textFormat == null) {
            throw new InvalidSchemaException(where + " has format \"" + format + "\"; allowed are email, uri, date, date-time");
        }
        return new TextField(name, title, description, required, minLength, maxLength, textFormat, defaultValue);
    }

    private static FormField multiChoiceField(String name, JsonObject d, boolean required, String title, String description,
                                              String where) {
        JsonObject items = object(d, "items", where);
        List<Option> options;
        if (items.containsKey("anyOf")) {
            options = titledOptions(array(items, "anyOf", where + ".items"), where + ".items.anyOf");
        } else if (items.containsKey("enum")) {
            options = nonEmpty(strings(array(items, "enum", where + ".items"), where + ".items.enum").stream()
                    .map(v -> new Option(v, v)).toList(), where);
        } else {
            throw new InvalidSchemaException(where + " is an array, which elicitation allows only as a choice: items need enum or anyOf");
        }
        Integer minItems = optionalCount(d, "minItems", where);
        Integer maxItems = optionalCount(d, "maxItems", where);
        if (minItems != null && maxItems != null && minItems > maxItems) {
            throw new InvalidSchemaException(where + " has minItems " + minItems + " above maxItems " + maxItems);
        }
        List<String> defaultValue = d.containsKey("default") ? strings(array(d, "default", where), where + ".default") : null;
        return new MultiChoiceField(name, title, description, required, options, minItems, maxItems, defaultValue);
    }

    /**
     * Checks a person's answer and turns it into the {@code content} of an accepting
     * {@code ElicitResult}. Values may come typed (String, Number, Boolean, a collection of strings)
     * or as the strings a form posts; empty optional fields are left out.
     *
     * @throws AnswerViolatesSchemaException listing every field that does not fit, with a message for the person
     */
    public JsonObject validate(Map<String, ?> answer) {
        List<FieldViolation> violations = new ArrayList<>();
        JsonObjectBuilder content = Json.createObjectBuilder();
        Set<String> known = new HashSet<>();
        for (FormField field : fields) {
            known.add(field.name());
            Object value = answer.get(field.name());
            if (isEmpty(value)) {
                if (field.required()) {
                    violations.add(new FieldViolation(field.name(), field.label() + " is required"));
                }
                continue;
            }
            try {
                content.add(field.name(), checked(field, value));
            } catch (Violation v) {
                violations.add(new FieldViolation(field.name(), v.getMessage()));
            }
        }
        for (String name : answer.keySet()) {
            if (!known.contains(name)) {
                violations.add(new FieldViolation(name, "was not asked for"));
            }
        }
        if (!violations.isEmpty()) {
            throw new AnswerViolatesSchemaException(violations);
        }
        return content.build();
    }

    /**
     * The answer with the schema's defaults where it leaves a field empty (SEP-1034: the server's
     * default is what a person who changes nothing accepts), for {@link #validate} to check.
     */
    public Map<String, Object> withDefaults(Map<String, ?> answer) {
        Map<String, Object> filled = new LinkedHashMap<>(answer);
        for (FormField field : fields) {
            Object defaultValue = defaultOf(field);
            if (defaultValue != null && isEmpty(filled.get(field.name()))) {
                filled.put(field.name(), defaultValue);
            }
        }
        return filled;
    }

    private static Object defaultOf(FormField field) {
        if (field instanceof TextField f) {
            return f.defaultValue();
        } else if (field instanceof NumberField f) {
            return f.defaultValue();
        } else if (field instanceof BooleanField f) {
            return f.defaultValue();
        } else if (field instanceof ChoiceField f) {
            return f.defaultValue();
        } else {
            List<String> choices = ((MultiChoiceField) field).defaultValue();
            return choices == null || choices.isEmpty() ? null : choices;
        }
    }

    private static JsonValue checked(FormField field, Object value) {
        if (field instanceof TextField f) {
            return checkedText(f, value);
        } else if (field instanceof NumberField f) {
            return checkedNumber(f, value);
        } else if (field instanceof BooleanField f) {
            return checkedBoolean(f, value);
        } else if (field instanceof ChoiceField f) {
            return Json.createValue(oneOf(f.options(), text(f, value), f.label()));
        } else {
            return checkedChoices((MultiChoiceField) field, value);
        }
    }

    private static JsonValue checkedText(TextField f, Object value) {
        String text = text(f, value);
        int length = text.codePointCount(0, text.length());
        if (f.minLength() != null && length < f.minLength()) {
            throw new Violation(f.label() + " must have at least " + f.minLength() + " characters");
        }
        if (f.maxLength() != null && length > f.maxLength()) {
            throw new Violation(f.label() + " must have at most " + f.maxLength() + " characters");
        }
        if (f.format() != null && !fits(f.format(), text)) {
            throw new Violation(f.label() + " must be " + switch (f.format()) {
                case EMAIL -> "an email address";
                case URI -> "an absolute URI such as https://example.org/";
                case DATE -> "a date such as 2026-11-24";
                case DATE_TIME -> "a date and time with offset such as 2026-11-24T09:30:00+07:00";
            });
        }
        return Json.createValue(text);
    }

    private static JsonValue checkedNumber(NumberField f, Object value) {
        BigDecimal number;
        try {
            number = value instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new Violation(f.label() + " must be a number");
        }
        if (f.integer() && number.stripTrailingZeros().scale() > 0) {
            throw new Violation(f.label() + " must be a whole number");
        }
        if (f.minimum() != null && number.compareTo(f.minimum()) < 0) {
            throw new Violation(f.label() + " must be at least " + f.minimum().toPlainString());
        }
        if (f.maximum() != null && number.compareTo(f.maximum()) > 0) {
            throw new Violation(f.label() + " must be at most " + f.maximum().toPlainString());
        }
        return f.integer() ? Json.createValue(number.toBigIntegerExact()) : Json.createValue(number);
    }

    private static JsonValue checkedBoolean(BooleanField f, Object value) {
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return switch (value.toString().trim().toLowerCase()) {
            case "true" -> JsonValue.TRUE;
            case "false" -> JsonValue.FALSE;
            default -> throw new Violation(f.label() + " must be yes or no");
        };
    }

    private static JsonValue checkedChoices(MultiChoiceField f, Object value) {
        Collection<?> chosen;
        if (value instanceof Collection<?> c) {
            chosen = c;
        } else if (value instanceof JsonArray a) {
            chosen = a.stream().map(v -> v instanceof JsonString s ? s.getString() : v.toString()).toList();
        } else {
            chosen = List.of(value.toString());
        }
        Set<String> values = new LinkedHashSet<>();
        for (Object one : chosen) {
            values.add(oneOf(f.options(), String.valueOf(one), f.label()));
        }
        if (values.size() != chosen.size()) {
            throw new Violation(f.label() + " lists a choice twice");
        }
        if (f.minItems() != null && values.size() < f.minItems()) {
            throw new Violation(f.label() + " needs at least " + f.minItems() + " choices");
        }
        if (f.maxItems() != null && values.size() > f.maxItems()) {
            throw new Violation(f.label() + " allows at most " + f.maxItems() + " choices");
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        values.forEach(array::add);
        return array.build();
    }

    private static String oneOf(List<Option> options, String value, String label) {
        for (Option option : options) {
            if (option.value().equals(value)) {
                return value;
            }
        }
        throw new Violation(label + " must be one of " + options.stream().map(Option::title).toList());
    }

    private static String text(FormField f, Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new Violation(f.label() + " must be text");
    }

    private static boolean fits(TextFormat format, String text) {
        try {
            return switch (format) {
                case EMAIL -> EMAIL.matcher(text).matches();
                case URI -> new URI(text).isAbsolute();
                case DATE -> LocalDate.parse(text) != null;
                case DATE_TIME -> OffsetDateTime.parse(text) != null;
            };
        } catch (URISyntaxException | DateTimeParseException e) {
            return false;
        }
    }

    private static boolean isEmpty(Object value) {
        return value == null
                || value instanceof String s && s.isBlank()
                || value instanceof Collection<?> c && c.isEmpty()
                || value == JsonValue.NULL;
    }

    private static List<Option> titledOptions(JsonArray array, String where) {
        List<Option> options = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonObject o) || !(o.get("const") instanceof JsonString value)) {
                throw new InvalidSchemaException(where + " entries need a string const");
            }
            String title = o.get("title") instanceof JsonString t ? t.getString() : value.getString();
            options.add(new Option(value.getString(), title));
        }
        return nonEmpty(options, where);
    }

    private static List<Option> nonEmpty(List<Option> options, String where) {
        if (options.isEmpty()) {
            throw new InvalidSchemaException(where + " offers no choice");
        }
        return List.copyOf(options);
    }

    private static List<String> strings(JsonArray array, String where) {
        List<String> strings = new ArrayList<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonString s)) {
                throw new InvalidSchemaException(where + " must hold strings only");
            }
            strings.add(s.getString());
        }
        return strings;
    }

    private static String string(JsonObject o, String key, String where) {
        JsonValue v = o.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new InvalidSchemaException(where + "." + key + " must be a string");
        }
        return s.getString();
    }

    private static JsonObject object(JsonObject o, String key, String where) {
        if (!(o.get(key) instanceof JsonObject value)) {
            throw new InvalidSchemaException(where + "." + key + " must be an object");
        }
        return value;
    }

    private static JsonArray array(JsonObject o, String key, String where) {
        if (!(o.get(key) instanceof JsonArray value)) {
            throw new InvalidSchemaException(where + "." + key + " must be an array");
        }
        return value;
    }

    private static boolean bool(JsonObject o, String key, String where) {
        JsonValue v = o.get(key);
        if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
            throw new InvalidSchemaException(where + "." + key + " must be true or false");
        }
        return v == JsonValue.TRUE;
    }

    private static BigDecimal optionalNumber(JsonObject o, String key, String where) {
        JsonValue v = o.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonNumber n)) {
            throw new InvalidSchemaException(where + "." + key + " must be a number");
        }
        return n.bigDecimalValue();
    }

    private static Integer optionalCount(JsonObject o, String key, String where) {
        BigDecimal n = optionalNumber(o, key, where);
        if (n == null) {
            return null;
        }
        if (n.signum() < 0 || n.stripTrailingZeros().scale() > 0) {
            throw new InvalidSchemaException(where + "." + key + " must be a whole number of zero or more");
        }
        return n.intValueExact();
    }

    /** A field's value does not fit; the message is for the person. */
    private static final class Violation extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Violation(String message) {
            super(message, null, false, false);
        }
    }
}
