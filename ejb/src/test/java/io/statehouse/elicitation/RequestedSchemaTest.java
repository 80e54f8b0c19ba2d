package io.statehouse.elicitation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.statehouse.elicitation.AnswerViolatesSchemaException.FieldViolation;
import io.statehouse.elicitation.FormField.BooleanField;
import io.statehouse.elicitation.FormField.ChoiceField;
import io.statehouse.elicitation.FormField.MultiChoiceField;
import io.statehouse.elicitation.FormField.NumberField;
import io.statehouse.elicitation.FormField.Option;
import io.statehouse.elicitation.FormField.TextField;
import io.statehouse.elicitation.FormField.TextFormat;

class RequestedSchemaTest {

    /** Every kind of field that the 2025-11-25 specification allows, in one form. */
    private static final String EXPENSE_FORM = """
            {
              "type": "object",
              "properties": {
                "purpose":   {"type": "string", "title": "Purpose", "description": "What was it for?", "minLength": 3, "maxLength": 40},
                "email":     {"type": "string", "format": "email"},
                "receipt":   {"type": "string", "format": "uri", "title": "Receipt link"},
                "spentOn":   {"type": "string", "format": "date"},
                "approvedAt":{"type": "string", "format": "date-time"},
                "amount":    {"type": "number", "minimum": 0.01, "maximum": 5000, "default": 12.5},
                "nights":    {"type": "integer", "minimum": 0, "maximum": 30},
                "billable":  {"type": "boolean", "title": "Billable to the client", "default": false},
                "currency":  {"type": "string", "enum": ["IDR", "EUR", "USD"], "default": "IDR"},
                "category":  {"type": "string", "oneOf": [{"const": "travel", "title": "Travel"}, {"const": "meals", "title": "Meals"}]},
                "legacy":    {"type": "string", "enum": ["a", "b"], "enumNames": ["Option A", "Option B"]},
                "tags":      {"type": "array", "items": {"type": "string", "enum": ["urgent", "team", "client"]}, "minItems": 1, "maxItems": 2},
                "approvers": {"type": "array", "items": {"anyOf": [{"const": "ana", "title": "Ana"}, {"const": "budi", "title": "Budi"}]}, "default": ["ana"]}
              },
              "required": ["purpose", "amount", "currency"]
            }
            """;

    private final RequestedSchema expenses = RequestedSchema.parse(json(EXPENSE_FORM));

    @Test
    void everyKindOfFieldIsReadInTheServersOrder() {
        assertThat(expenses.fields()).extracting(FormField::name).containsExactly("purpose", "email", "receipt", "spentOn",
                "approvedAt", "amount", "nights", "billable", "currency", "category", "legacy", "tags", "approvers");
        assertThat(expenses.fields().get(0)).isEqualTo(
                new TextField("purpose", "Purpose", "What was it for?", true, 3, 40, null, null));
        assertThat(((TextField) expenses.fields().get(4)).format()).isEqualTo(TextFormat.DATE_TIME);
        assertThat(expenses.fields().get(5)).isEqualTo(new NumberField("amount", null, null, true, false,
                new BigDecimal("0.01"), new BigDecimal("5000"), new BigDecimal("12.5")));
        assertThat(((NumberField) expenses.fields().get(6)).integer()).isTrue();
        assertThat(expenses.fields().get(7)).isEqualTo(new BooleanField("billable", "Billable to the client", null, false, false));
        assertThat(((ChoiceField) expenses.fields().get(8)).options()).extracting(Option::value).containsExactly("IDR", "EUR", "USD");
        assertThat(((ChoiceField) expenses.fields().get(9)).options()).containsExactly(
                new Option("travel", "Travel"), new Option("meals", "Meals"));
        assertThat(((ChoiceField) expenses.fields().get(10)).options()).containsExactly(
                new Option("a", "Option A"), new Option("b", "Option B"));
        MultiChoiceField tags = (MultiChoiceField) expenses.fields().get(11);
        assertThat(tags.minItems()).isEqualTo(1);
        assertThat(tags.maxItems()).isEqualTo(2);
        assertThat(((MultiChoiceField) expenses.fields().get(12)).defaultValue()).containsExactly("ana");
        assertThat(expenses.fields().get(12).label()).isEqualTo("approvers");
    }

    @Test
    void acceptedAnswerBecomesTypedContent() {
        Map<String, Object> answer = new HashMap<>();
        answer.put("purpose", "Client visit");
        answer.put("email", "ana@example.org");
        answer.put("receipt", "https://receipts.example.org/42");
        answer.put("spentOn", "2026-11-20");
        answer.put("approvedAt", "2026-11-24T09:30:00+07:00");
        answer.put("amount", "125.50");
        answer.put("nights", 2);
        answer.put("billable", "true");
        answer.put("currency", "IDR");
        answer.put("category", "travel");
        answer.put("tags", List.of("urgent", "client"));
        answer.put("approvers", "budi");
        answer.put("legacy", "");

        JsonObject content = expenses.validate(answer);

        assertThat(content.getString("purpose")).isEqualTo("Client visit");
        assertThat(content.getJsonNumber("amount").bigDecimalValue()).isEqualByComparingTo("125.50");
        assertThat(content.getJsonNumber("nights").isIntegral()).isTrue();
        assertThat(content.getBoolean("billable")).isTrue();
        assertThat(content.getJsonArray("tags").getString(1)).isEqualTo("client");
        assertThat(content.getJsonArray("approvers").getString(0)).isEqualTo("budi");
        assertThat(content).doesNotContainKey("legacy");
    }

    @Test
    void answerThatViolatesTheSchemaIsRejectedFieldByField() {
        Map<String, Object> answer = new HashMap<>();
        answer.put("purpose", "ok");
        answer.put("email", "not-an-address");
        answer.put("receipt", "receipts/42");
        answer.put("spentOn", "20.11.2026");
        answer.put("approvedAt", "2026-11-24T09:30:00");
        answer.put("amount", "6000");
        answer.put("nights", "1.5");
        answer.put("billable", "maybe");
        answer.put("currency", "JPY");
        answer.put("tags", List.of("urgent", "team", "client"));
        answer.put("unasked", "x");

        assertThatThrownBy(() -> expenses.validate(answer))
                .isInstanceOfSatisfying(AnswerViolatesSchemaException.class, e -> assertThat(e.violations()).containsExactlyInAnyOrder(
                        new FieldViolation("purpose", "Purpose must have at least 3 characters"),
                        new FieldViolation("email", "email must be an email address"),
                        new FieldViolation("receipt", "Receipt link must be an absolute URI such as https://example.org/"),
                        new FieldViolation("spentOn", "spentOn must be a date such as 2026-11-24"),
                        new FieldViolation("approvedAt", "approvedAt must be a date and time with offset such as 2026-11-24T09:30:00+07:00"),
                        new FieldViolation("amount", "amount must be at most 5000"),
                        new FieldViolation("nights", "nights must be a whole number"),
                        new FieldViolation("billable", "Billable to the client must be yes or no"),
                        new FieldViolation("currency", "currency must be one of [IDR, EUR, USD]"),
                        new FieldViolation("tags", "tags allows at most 2 choices"),
                        new FieldViolation("unasked", "was not asked for")));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThatThrownBy(() -> expenses.validate(Map.of("purpose", "  ")))
                .isInstanceOfSatisfying(AnswerViolatesSchemaException.class, e -> assertThat(e.violations())
                        .extracting(FieldViolation::field).containsExactly("purpose", "amount", "currency"))
                .hasMessageContaining("Purpose is required");
    }

    @Test
    void lengthCountsCharactersNotUtf16Units() {
        RequestedSchema schema = RequestedSchema.parse(json("""
                {"type": "object", "properties": {"emoji": {"type": "string", "maxLength": 2}}}"""));

        assertThat(schema.validate(Map.of("emoji", "\uD83D\uDE00\uD83D\uDE00")).getString("emoji")).hasSize(4);
    }

    @Test
    void multiSelectRejectsAChoiceListedTwiceAndAnUnknownChoice() {
        assertThatThrownBy(() -> expenses.validate(Map.of("purpose", "Trip", "amount", 1, "currency", "EUR",
                "tags", List.of("team", "team"))))
                .hasMessageContaining("tags lists a choice twice");
        assertThatThrownBy(() -> expenses.validate(Map.of("purpose", "Trip", "amount", 1, "currency", "EUR",
                "approvers", List.of("carla"))))
                .hasMessageContaining("approvers must be one of [Ana, Budi]");
    }

    @Test
    void schemasTheSpecificationDoesNotAllowAreRejectedWithWhereAndWhy() {
        assertRejected("{\"type\": \"array\"}", "requestedSchema must have type \"object\"");
        assertRejected("{\"type\": \"object\", \"properties\": {\"address\": {\"type\": \"object\"}}}",
                "property address has type \"object\"");
        assertRejected("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": [\"b\"]}",
                "requestedSchema.required names \"b\", which is not a property");
        assertRejected("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"format\": \"phone\"}}}",
                "property a has format \"phone\"");
        assertRejected("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"enum\": []}}}",
                "property a offers no choice");
        assertRejected("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"minLength\": 5, \"maxLength\": 2}}}",
                "property a has minLength 5 above maxLength 2");
        assertRejected("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}}",
                "items need enum or anyOf");
        assertRejected("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"enum\": [\"x\"], \"enumNames\": []}}}",
                "property a.enumNames must have one name per enum value");
    }

    @Test
    void formWithoutPropertiesAsksForNothing() {
        RequestedSchema confirm = RequestedSchema.parse(json("{\"type\": \"object\", \"properties\": {}}"));

        assertThat(confirm.fields()).isEmpty();
        assertThat(confirm.validate(Map.of())).isEmpty();
    }

    private static void assertRejected(String schema, String message) {
        assertThatThrownBy(() -> RequestedSchema.parse(json(schema)))
                .isInstanceOf(InvalidSchemaException.class)
                .hasMessageContaining(message);
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
