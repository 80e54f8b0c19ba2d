package io.statehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTemplateFunctionsTest {

    @Test
    void textIsQuotedAndEscapedSoTheTemplateStaysValidJson() {
        assertThat(JsonTemplateFunctions.json("Taxi \"airport\"\nback\\home")).isEqualTo("\"Taxi \\\"airport\\\"\\nback\\\\home\"");
    }

    @Test
    void numbersBooleansAndNullStayWhatTheyAre() {
        assertThat(JsonTemplateFunctions.json(42L)).isEqualTo("42");
        assertThat(JsonTemplateFunctions.json(new BigDecimal("12.50"))).isEqualTo("12.50");
        assertThat(JsonTemplateFunctions.json(true)).isEqualTo("true");
        assertThat(JsonTemplateFunctions.json(null)).isEqualTo("null");
    }

    @Test
    void mapsAndListsBecomeObjectsAndArrays() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("tags", List.of("team", "urgent"));
        map.put("amount", 3);
        assertThat(JsonTemplateFunctions.json(map)).isEqualTo("{\"tags\":[\"team\",\"urgent\"],\"amount\":3}");
    }
}
