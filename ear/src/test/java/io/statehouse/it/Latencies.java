package io.statehouse.it;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** How the benchmarks print latencies: median and p95 (nearest rank) of a list of milliseconds. */
final class Latencies {

    private Latencies() {
    }

    static String row(String what, List<Double> millis) {
        return String.format(Locale.ROOT, "%-70s n=%3d  median %8.2f ms  p95 %8.2f ms%n", what, millis.size(),
                percentile(millis, 50), percentile(millis, 95));
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
