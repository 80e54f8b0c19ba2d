package io.statehouse.mcp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class ExpenseStoreTest {

    static final Clock NOV_26 = Clock.fixed(Instant.parse("2026-11-26T09:00:00Z"), ZoneOffset.UTC);

    static Expense.Draft draft(String amount, String currency, String category, String date) {
        return new Expense.Draft(new BigDecimal(amount), currency, category, LocalDate.parse(date), null, false,
                List.of(), null);
    }

    @Test
    void seededStoreHasEightPlausibleExpensesFromTheLastFiveWeeks() {
        List<Expense> seeded = ExpenseStore.seeded(NOV_26).all();

        assertThat(seeded).hasSize(8);
        assertThat(seeded).extracting(Expense::id).containsExactly("exp-1", "exp-2", "exp-3", "exp-4", "exp-5", "exp-6",
                "exp-7", "exp-8");
        assertThat(seeded).allSatisfy(e -> {
            assertThat(e.date()).isBetween(LocalDate.parse("2026-10-22"), LocalDate.parse("2026-11-25"));
            assertThat(Expense.CATEGORIES).contains(e.category());
            assertThat(Expense.CURRENCIES).containsKey(e.currency());
            assertThat(Expense.TAGS).containsAll(e.tags());
            assertThat(e.amount()).isBetween(ExpenseForm.MINIMUM_AMOUNT, ExpenseForm.MAXIMUM_AMOUNT);
        });
        assertThat(seeded).extracting(Expense::category).containsAll(Expense.CATEGORIES);
    }

    @Test
    void recordGivesTheNextIdAndKeepsTheOrder() {
        ExpenseStore store = new ExpenseStore();

        Expense first = store.record(draft("12.50", "EUR", "meals", "2026-11-02"));
        Expense second = store.record(draft("99", "USD", "software", "2026-11-01"));

        assertThat(first.id()).isEqualTo("exp-1");
        assertThat(second.id()).isEqualTo("exp-2");
        assertThat(store.all()).containsExactly(first, second);
    }

    @Test
    void concurrentRecordsGetDistinctIdsAndNoneIsLost() throws Exception {
        ExpenseStore store = new ExpenseStore();
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                writers.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        store.record(draft("1.00", "EUR", "other", "2026-11-01"));
                        store.all(); // readers interleave with writers
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(writers)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> ids = store.all().stream().map(Expense::id).collect(Collectors.toSet());
        assertThat(ids).hasSize(threads * perThread).contains("exp-1", "exp-" + threads * perThread);
    }

    @Test
    void aFullStoreRefusesMoreWithAClearMessage() {
        ExpenseStore store = new ExpenseStore();
        for (int i = 0; i < ExpenseStore.CAPACITY; i++) {
            store.record(draft("1.00", "EUR", "other", "2026-11-01"));
        }

        assertThatThrownBy(() -> store.record(draft("1.00", "EUR", "other", "2026-11-01")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full");
        assertThat(store.all()).hasSize(ExpenseStore.CAPACITY);
    }

    @Test
    void inMonthKeepsThatMonthsExpensesByDate() {
        ExpenseStore store = new ExpenseStore();
        store.record(draft("3", "EUR", "meals", "2026-11-20"));
        store.record(draft("1", "EUR", "meals", "2026-10-31"));
        store.record(draft("2", "EUR", "meals", "2026-11-01"));
        store.record(draft("4", "EUR", "meals", "2026-12-01"));

        assertThat(store.inMonth(YearMonth.parse("2026-11"))).extracting(e -> e.date().toString())
                .containsExactly("2026-11-01", "2026-11-20");
        assertThat(store.inMonth(YearMonth.parse("2025-11"))).isEmpty();
    }

    @Test
    void totalsAreByCategoryAndCurrencyWithoutConversion() {
        List<Expense> expenses = List.of(
                draft("10.10", "EUR", "meals", "2026-11-01").withId("a"),
                draft("5.20", "EUR", "meals", "2026-11-02").withId("b"),
                draft("7", "USD", "meals", "2026-11-03").withId("c"),
                draft("100", "EUR", "travel", "2026-11-04").withId("d"));

        assertThat(ExpenseStore.totalsByCategory(expenses)).containsExactly(
                new CategoryTotal("travel", "EUR", 1, new BigDecimal("100")),
                new CategoryTotal("meals", "EUR", 2, new BigDecimal("15.30")),
                new CategoryTotal("meals", "USD", 1, new BigDecimal("7")));
        assertThat(new CategoryTotal("meals", "EUR", 2, new BigDecimal("15.3")).toLine())
                .isEqualTo("meals (EUR): 15.30 in 2 expenses");
    }
}
