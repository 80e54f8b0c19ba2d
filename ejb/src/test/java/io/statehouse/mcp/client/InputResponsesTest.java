package io.statehouse.mcp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InputResponsesTest {

    @Test
    void anAcceptedElicitationIsItsActionAndContent() {
        assertThat(InputResponses.of(InputResponses.ELICIT, Answer.accepted(Map.of("name", "Ayu"))))
                .isEqualTo(Map.of("action", "accept", "content", Map.of("name", "Ayu")));
        assertThat(InputResponses.of(InputResponses.ELICIT, Answer.of(Answer.Action.DECLINE))).isEqualTo(Map.of("action", "decline"));
    }

    @Test
    void aSamplingReplyIsTheAssistantsTextWithItsModelAndStopReason() {
        assertThat(InputResponses.of(InputResponses.SAMPLE, Answer.reply("Paris.", "statehouse-human:demo")))
                .isEqualTo(Map.of("role", "assistant", "content", Map.of("type", "text", "text", "Paris."),
                        "model", "statehouse-human:demo", "stopReason", "endTurn"));
    }

    @Test
    void rootsAreNone() {
        assertThat(InputResponses.of(InputResponses.ROOTS, Answer.of(Answer.Action.ACCEPT))).isEqualTo(Map.of("roots", List.of()));
    }
}
