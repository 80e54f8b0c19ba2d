package io.statehouse.mcp.demo;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's expenses, in memory and gone on restart: the demo stands in for someone else's agent,
 * whose data is not Statehouse's to keep. Safe for concurrent tool calls; bounded, so that a client
 * in a loop cannot fill the heap.
 */
final class ExpenseStore {

    static final int CAPACITY = 10_000;

    private final List<Expense> expenses = new ArrayList<>(); // guarded by this
    private long lastId;                                        // guarded by this

    /** A store with eight plausible expenses from the last five weeks, so that analysis works at once. */
    static ExpenseStore seeded(Clock clock) {
        LocalDate today = LocalDate.now(clock);
        ExpenseStore store = new ExpenseStore();
        store.record(draft("420.00", "EUR", "travel", today.minusDays(1), "Train to Berlin for the customer workshop",
                true, List.of("client-visit"), null));
        store.record(draft("389.00", "EUR", "lodging", today.minusDays(2), "Hotel, two nights near the customer",
                true, List.of("client-visit"), null));
        store.record(draft("86.40", "EUR", "meals", today.minusDays(3), "Team dinner after the workshop",
                false, List.of("team"), null));
        store.record(draft("49.00", "EUR", "software", today.minusDays(5), "Diagram editor, monthly plan",
                false, List.of("recurring"), null));
        store.record(draft("20.00", "USD", "software", today.minusDays(8), "Model API credits",
                false, List.of("recurring"), null));
        store.record(draft("145.50", "GBP", "travel", today.minusDays(13), "Return flight to London for the conference",
                false, List.of("conference"), null));
        store.record(draft("23.80", "EUR", "meals", today.minusDays(21), "Lunch with a prospect",
                true, List.of("client-visit"), "anna.berg@example.com"));
        store.record(draft("120.00", "EUR", "other", today.minusDays(34), "Conference ticket, early bird",
                false, List.of("conference"), null));
        return store;
    }

    /**
     * Stores an expense and gives it the next id ({@code exp-1}, {@code exp-2}, …).
     *
     * @throws IllegalStateException when the store is full
     */
    synchronized Expense record(Expense.Draft draft) {
        if (expenses.size() >= CAPACITY) {
            throw new IllegalStateException("The demo store is full (" + CAPACITY
                    + " expenses); restart the server to start over");
        }
        Expense expense = draft.withId("exp-" + ++lastId);
        expenses.add(expense);
        return expense;
    }

    /** Every expense, in the order they were recorded. */
    synchronized List<Expense> all() {
        return List.copyOf(expenses);
    }

    /** The expenses dated in the given month, by date. */
    List<Expense> inMonth(YearMonth month) {
        return all().stream()
                .filter(e -> YearMonth.from(e.date()).equals(month))
                .sorted(Comparator.comparing(Expense::date).thenComparing(Expense::id))
                .toList();
    }

    /** Totals per category and currency, by currency and then largest total first. */
    static List<CategoryTotal> totalsByCategory(Collection<Expense> expenses) {
        Map<List<String>, List<Expense>> groups = new LinkedHashMap<>();
        for (Expense e : expenses) {
            groups.computeIfAbsent(List.of(e.category(), e.currency()), k -> new ArrayList<>()).add(e);
        }
        return groups.entrySet().stream()
                .map(g -> new CategoryTotal(g.getKey().get(0), g.getKey().get(1), g.getValue().size(),
                        g.getValue().stream().map(Expense::amount).reduce(BigDecimal.ZERO, BigDecimal::add)))
                .sorted(Comparator.comparing(CategoryTotal::currency)
                        .thenComparing(CategoryTotal::total, Comparator.reverseOrder())
                        .thenComparing(CategoryTotal::category))
                .toList();
    }

    private static Expense.Draft draft(String amount, String currency, String category, LocalDate date,
                                       String description, boolean billable, List<String> tags, String contact) {
        return new Expense.Draft(new BigDecimal(amount), currency, category, date, description, billable, tags, contact);
    }
}
