package io.statehouse.mcp.demo;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One expense in the demo tracker, and the fixed vocabulary (categories, currencies, tags) that the
 * elicitation form offers and the store accepts.
 */
record Expense(String id, BigDecimal amount, String currency, String category, LocalDate date, String description,
               boolean billable, List<String> tags, String contact) {

    static final List<String> CATEGORIES = List.of("travel", "meals", "lodging", "software", "other");

    /** Currency codes and what a person reads for them, in the order the form shows them. */
    static final Map<String, String> CURRENCIES = orderedCurrencies();

    static final String DEFAULT_CURRENCY = "EUR";

    static final List<String> TAGS = List.of("client-visit", "conference", "team", "recurring", "urgent");

    Expense {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(date, "date");
        tags = List.copyOf(tags);
    }

    /** An expense as a person entered it, before the store gives it an id. */
    record Draft(BigDecimal amount, String currency, String category, LocalDate date, String description,
                 boolean billable, List<String> tags, String contact) {

        Expense withId(String id) {
            return new Expense(id, amount, currency, category, date, description, billable, tags, contact);
        }
    }

    /** The JSON object a tool returns as (part of) its {@code structuredContent}; absent fields are left out. */
    Map<String, Object> toStructured() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("amount", amount);
        json.put("currency", currency);
        json.put("category", category);
        json.put("date", date.toString());
        if (description != null) {
            json.put("description", description);
        }
        json.put("billable", billable);
        json.put("tags", tags);
        if (contact != null) {
            json.put("contact", contact);
        }
        return json;
    }

    /** One line for a person: date, id, category, amount, description, flags. */
    String toLine() {
        return date + "  " + id + "  " + category + "  " + currency + " " + amount.toPlainString()
                + (description == null ? "" : "  " + description)
                + (billable ? "  [billable]" : "")
                + (tags.isEmpty() ? "" : "  #" + String.join(" #", tags));
    }

    private static Map<String, String> orderedCurrencies() {
        Map<String, String> currencies = new LinkedHashMap<>();
        currencies.put("EUR", "Euro");
        currencies.put("USD", "US dollar");
        currencies.put("GBP", "Pound sterling");
        currencies.put("CHF", "Swiss franc");
        currencies.put("JPY", "Japanese yen");
        return Collections.unmodifiableMap(currencies);
    }
}
