package io.statehouse.mcp.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What makes two tool calls one call: the user and the key name it; the tool and the arguments, in any key order, say what it is. */
class CallKeysTest {

    private final CallKeys keys = new CallKeys();

    @Test
    void theSameArgumentsInAnotherOrderAndNotationAreTheSameCall() {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("amount", 120);
        first.put("items", List.of(Map.of("b", true, "a", "x")));
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("items", List.of(Map.of("a", "x", "b", true)));
        second.put("amount", 120.0);
        assertThat(keys.key("demo", "k", "approve", first)).isEqualTo(keys.key("demo", "k", "approve", second));
    }

    @Test
    void anotherUserToolOrArgumentMakesAnotherKeyOrCall() {
        CallKeys.Key key = keys.key("demo", "k", "approve", Map.of("request", "chair"));
        assertThat(keys.key("mary", "k", "approve", Map.of("request", "chair")).hash()).as("another user's key").isNotEqualTo(key.hash());
        assertThat(keys.key("demo", "k", "greet", Map.of("request", "chair")).call()).as("another tool").isNotEqualTo(key.call());
        assertThat(keys.key("demo", "k", "approve", Map.of("request", "table")).call()).as("other arguments").isNotEqualTo(key.call());
        assertThat(keys.key("demo", "k", "approve", Map.of("request", 1)).call()).as("a number is not its text")
                .isNotEqualTo(keys.key("demo", "k", "approve", Map.of("request", "1")).call());
        assertThat(keys.key("demo", "k", "approve", null)).isEqualTo(keys.key("demo", "k", "approve", Map.of()));
    }
}
