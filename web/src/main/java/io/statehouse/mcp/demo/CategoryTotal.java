package io.statehouse.mcp.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was spent in one category and one currency. Currencies are never converted: the demo has no
 * exchange rates, and a made-up rate would make the analysis look more exact than it is.
 */
record CategoryTotal(String category, String currency, int count, BigDecimal total) {

    Map<String, Object> toStructured() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("category", category);
        json.put("currency", currency);
        json.put("count", count);
        json.put("total", total.setScale(2, RoundingMode.HALF_EVEN));
        return json;
    }

    String toLine() {
        return category + " (" + currency + "): " + total.setScale(2, RoundingMode.HALF_EVEN).toPlainString()
                + " in " + count + (count == 1 ? " expense" : " expenses");
    }
}
