package io.statehouse.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class CompletionTest {

    @Test
    void valuesThatStartWithWhatWasTypedIgnoringCaseInTheDeclaredOrder() {
        assertThat(Completion.of(List.of("paris", "Park", "lyon", "party"), "PAR"))
                .isEqualTo(new Completion(List.of("paris", "Park", "party"), 3, false));
        assertThat(Completion.of(List.of("paris"), null)).isEqualTo(new Completion(List.of("paris"), 1, false));
        assertThat(Completion.of(List.of("paris"), "test")).isEqualTo(new Completion(List.of(), 0, false));
    }

    @Test
    void atMostAHundredValuesWithTheTotalAndThatThereIsMore() {
        List<String> many = IntStream.range(0, 150).mapToObj(i -> "v" + i).toList();

        Completion completion = Completion.of(many, "v");

        assertThat(completion.values()).hasSize(100).startsWith("v0");
        assertThat(completion.total()).isEqualTo(150);
        assertThat(completion.hasMore()).isTrue();
    }
}
