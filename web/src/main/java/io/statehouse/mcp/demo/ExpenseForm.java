package io.statehouse.mcp.demo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The form {@code record_expense} asks a person to fill in: its {@code requestedSchema} (MCP
 * 2025-11-25, form mode), which uses every kind of field the specification allows, and the check of
 * what comes back. The server checks the answer itself, as any server should: the client's form may
 * not have.
 */
final class ExpenseForm {

    static final BigDecimal MINIMUM_AMOUNT = new BigDecimal("0.01");
    static final BigDecimal MAXIMUM_AMOUNT = new BigDecimal("100000");
    static final int MIN_DESCRIPTION = 3;
    static final int MAX_DESCRIPTION = 200;
    static final int MAX_TAGS = 3;
    static final List<String> REQUIRED = List.of("amount", "category", "date");

    private static final Set<String> FIELDS = Set.copyOf(properties(requestedSchema()).keySet());

    // Deliberately simple: one @, no spaces, a dot in the domain.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private ExpenseForm() {
    }

    /** The {@code requestedSchema}: a flat object of primitive fields, in the order a person fills them in. */
    static Map<String, Object> requestedSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("amount", json("type", "number", "title", "Amount",
                "description", "What was spent, in the currency below",
                "minimum", MINIMUM_AMOUNT, "maximum", MAXIMUM_AMOUNT));
        properties.put("currency", json("type", "string", "title", "Currency",
                "oneOf", Expense.CURRENCIES.entrySet().stream()
                        .map(c -> json("const", c.getKey(), "title", c.getValue())).toList(),
                "default", Expense.DEFAULT_CURRENCY));
        properties.put("category", json("type", "string", "title", "Category", "enum", Expense.CATEGORIES));
        properties.put("date", json("type", "string", "title", "Date", "description", "The day it was spent",
                "format", "date"));
        properties.put("description", json("type", "string", "title", "Description",
                "minLength", MIN_DESCRIPTION, "maxLength", MAX_DESCRIPTION));
        properties.put("billable", json("type", "boolean", "title", "Billable to a client", "default", false));
        properties.put("tags", json("type", "array", "title", "Tags", "description", "Up to " + MAX_TAGS,
                "minItems", 0, "maxItems", MAX_TAGS,
                "items", json("type", "string", "enum", Expense.TAGS)));
        properties.put("contact", json("type", "string", "title", "Contact email",
                "description", "Who to ask about this expense", "format", "email"));
        return json("type", "object", "properties", properties, "required", REQUIRED);
    }

    /**
     * Reads the {@code content} of an accepting {@code ElicitResult}. Numbers may arrive as any
     * {@link Number}; an absent currency is the default; absent tags are none.
     *
     * @throws AnswerRejected listing every field that does not fit the form
     */
    static Expense.Draft read(Map<String, Object> content) {
        Map<String, Object> answer = content == null ? Map.of() : content;
        List<String> problems = new ArrayList<>();
        for (String name : answer.keySet()) {
            if (!FIELDS.contains(name)) {
                problems.add(name + " was not asked for");
            }
        }
        for (String name : REQUIRED) {
            if (answer.get(name) == null) {
                problems.add(name + " is required");
            }
        }
        BigDecimal amount = amount(answer.get("amount"), problems);
        String currency = answer.get("currency") == null ? Expense.DEFAULT_CURRENCY
                : oneOf("currency", answer.get("currency"), Expense.CURRENCIES.keySet(), problems);
        String category = answer.get("category") == null ? null
                : oneOf("category", answer.get("category"), Expense.CATEGORIES, problems);
        LocalDate date = date(answer.get("date"), problems);
        String description = description(answer.get("description"), problems);
        boolean billable = billable(answer.get("billable"), problems);
        List<String> tags = tags(answer.get("tags"), problems);
        String contact = contact(answer.get("contact"), problems);
        if (!problems.isEmpty()) {
            throw new AnswerRejected(problems);
        }
        return new Expense.Draft(amount, currency, category, date, description, billable, tags, contact);
    }

    /** The answer did not fit the form; the message lists every field that did not. */
    static final class AnswerRejected extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        private final List<String> problems;

        AnswerRejected(List<String> problems) {
            super("The answer does not fit the form: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        List<String> problems() {
            return problems;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> schema) {
        return (Map<String, Object>) schema.get("properties");
    }

    private static BigDecimal amount(Object value, List<String> problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            problems.add("amount must be a number");
            return null;
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            problems.add("amount must be a finite number");
            return null;
        }
        if (amount.compareTo(MINIMUM_AMOUNT) < 0 || amount.compareTo(MAXIMUM_AMOUNT) > 0) {
            problems.add("amount must be between " + MINIMUM_AMOUNT.toPlainString() + " and " + MAXIMUM_AMOUNT.toPlainString());
            return null;
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            problems.add("amount must have at most two decimal places");
            return null;
        }
        return amount;
    }

    private static String oneOf(String name, Object value, Collection<String> allowed, List<String> problems) {
        if (!(value instanceof String text) || !allowed.contains(text)) {
            problems.add(name + " must be one of " + String.join(", ", allowed));
            return null;
        }
        return text;
    }

    private static LocalDate date(Object value, List<String> problems) {
        if (value == null) {
            return null;
        }
        try {
            if (value instanceof String text) {
                return LocalDate.parse(text);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add("date must be a date such as 2026-11-24");
        return null;
    }

    private static String description(Object value, List<String> problems) {
        if (value == null || "".equals(value)) { // an empty optional field is no answer
            return null;
        }
        if (!(value instanceof String text)) {
            problems.add("description must be text");
            return null;
        }
        int length = text.codePointCount(0, text.length());
        if (length < MIN_DESCRIPTION || length > MAX_DESCRIPTION) {
            problems.add("description must have " + MIN_DESCRIPTION + " to " + MAX_DESCRIPTION + " characters");
            return null;
        }
        return text;
    }

    private static boolean billable(Object value, List<String> problems) {
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            problems.add("billable must be true or false");
            return false;
        }
        return b;
    }

    private static List<String> tags(Object value, List<String> problems) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof Collection<?> values)) {
            problems.add("tags must be a list");
            return List.of();
        }
        Set<Object> seen = new HashSet<>();
        List<String> tags = new ArrayList<>();
        for (Object tag : values) {
            if (!(tag instanceof String text) || !Expense.TAGS.contains(text)) {
                problems.add("tags must be chosen from " + String.join(", ", Expense.TAGS));
                return List.of();
            }
            if (!seen.add(text)) {
                problems.add("tags must not repeat " + text);
                return List.of();
            }
            tags.add(text);
        }
        if (tags.size() > MAX_TAGS) {
            problems.add("tags must be at most " + MAX_TAGS);
            return List.of();
        }
        return tags;
    }

    private static String contact(Object value, List<String> problems) {
        if (value == null || "".equals(value)) { // an empty optional field is no answer
            return null;
        }
        if (!(value instanceof String text) || !EMAIL.matcher(text).matches()) {
            problems.add("contact must be an email address");
            return null;
        }
        return text;
    }

    /** An ordered JSON object from name/value pairs, so that the schema reads in the order it was written. */
    static Map<String, Object> json(Object... namesAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return json;
    }
}
