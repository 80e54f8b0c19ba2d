package io.statehouse.elicitation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonAnswersTest {

    static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "name": {"type": "string", "minLength": 2},
               "age": {"type": "integer", "minimum": 0, "maximum": 150},
               "score": {"type": "number"},
               "subscribe": {"type": "boolean"},
               "fruits": {"type": "array", "items": {"type": "string", "enum": ["apple", "pear"]}, "maxItems": 2}
             },
             "required": ["name"]}
            """;

    @Test
    void acceptedContentComesBackAsPlainJavaValuesReadyToSend() {
        Map<String, Object> content = JsonAnswers.checkedContent(JsonAnswers.schema(SCHEMA),
                "{\"name\": \"Ayu\", \"age\": 31, \"score\": 9.5, \"subscribe\": true, \"fruits\": [\"pear\"]}");

        assertThat(content).containsExactly(Map.entry("name", "Ayu"), Map.entry("age", 31L), Map.entry("score", new BigDecimal("9.5")),
                Map.entry("subscribe", true), Map.entry("fruits", List.of("pear")));
    }

    @Test
    void acceptedContentThatViolatesTheSchemaIsRejectedFieldByField() {
        assertThatThrownBy(() -> JsonAnswers.checkedContent(JsonAnswers.schema(SCHEMA), "{\"name\": \"A\", \"age\": 200, \"colour\": \"red\"}"))
                .isInstanceOfSatisfying(AnswerViolatesSchemaException.class, e -> assertThat(e.violations())
                        .extracting(AnswerViolatesSchemaException.FieldViolation::field)
                        .containsExactlyInAnyOrder("name", "age", "colour"));
    }

    /** SEP-1034, as the conformance scenario elicitation-sep1034-client-defaults asks it: what a person leaves empty takes the server's default. */
    @Test
    void fieldsLeftEmptyTakeTheSchemasDefaults() {
        String schema = """
                {"type": "object", "properties": {
                  "name": {"type": "string", "default": "John Doe"},
                  "age": {"type": "integer", "default": 30},
                  "score": {"type": "number", "default": 95.5},
                  "status": {"type": "string", "enum": ["active", "inactive", "pending"], "default": "active"},
                  "verified": {"type": "boolean", "default": true},
                  "note": {"type": "string"}}}""";
        Map<String, Object> content = JsonAnswers.checkedContent(JsonAnswers.schema(schema), "{\"name\": \"Ayu\", \"age\": \"\"}");
        assertThat(content).containsEntry("name", "Ayu").containsEntry("age", 30L).containsEntry("status", "active")
                .containsEntry("verified", true).doesNotContainKey("note");
        assertThat(((Number) content.get("score")).doubleValue()).isEqualTo(95.5);
    }

    @Test
    void contentThatIsNotAJsonObjectIsRejectedWithAMessage() {
        assertThatThrownBy(() -> JsonAnswers.checkedContent(JsonAnswers.schema(SCHEMA), "[1, 2]"))
                .isInstanceOfSatisfying(AnswerViolatesSchemaException.class,
                        e -> assertThat(e.violations().get(0).message()).contains("must be a JSON object"));
        assertThatThrownBy(() -> JsonAnswers.checkedContent(JsonAnswers.schema(SCHEMA), "{\"name\": "))
                .isInstanceOfSatisfying(AnswerViolatesSchemaException.class,
                        e -> assertThat(e.violations().get(0).message()).contains("not valid JSON"));
    }

    @Test
    void aSchemaThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> JsonAnswers.schema("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }
}
