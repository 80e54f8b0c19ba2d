package io.statehouse.mcp.demo;

import static io.statehouse.mcp.demo.ScriptedClient.parse;
import static io.statehouse.mcp.demo.ScriptedClient.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.statehouse.elicitation.FormField;
import io.statehouse.elicitation.FormField.BooleanField;
import io.statehouse.elicitation.FormField.ChoiceField;
import io.statehouse.elicitation.FormField.MultiChoiceField;
import io.statehouse.elicitation.FormField.NumberField;
import io.statehouse.elicitation.FormField.Option;
import io.statehouse.elicitation.FormField.TextField;
import io.statehouse.elicitation.FormField.TextFormat;
import io.statehouse.elicitation.RequestedSchema;

class ExpenseFormTest {

    /** The requestedSchema as the MCP specification (2025-11-25) spells each kind of field. */
    static final String EXPECTED_SCHEMA = """
            {
              "type": "object",
              "properties": {
                "amount": {"type": "number", "title": "Amount", "description": "What was spent, in the currency below",
                           "minimum": 0.01, "maximum": 100000},
                "currency": {"type": "string", "title": "Currency",
                             "oneOf": [{"const": "EUR", "title": "Euro"}, {"const": "USD", "title": "US dollar"},
                                       {"const": "GBP", "title": "Pound sterling"}, {"const": "CHF", "title": "Swiss franc"},
                                       {"const": "JPY", "title": "Japanese yen"}],
                             "default": "EUR"},
                "category": {"type": "string", "title": "Category", "enum": ["travel", "meals", "lodging", "software", "other"]},
                "date": {"type": "string", "title": "Date", "description": "The day it was spent", "format": "date"},
                "description": {"type": "string", "title": "Description", "minLength": 3, "maxLength": 200},
                "billable": {"type": "boolean", "title": "Billable to a client", "default": false},
                "tags": {"type": "array", "title": "Tags", "description": "Up to 3", "minItems": 0, "maxItems": 3,
                         "items": {"type": "string", "enum": ["client-visit", "conference", "team", "recurring", "urgent"]}},
                "contact": {"type": "string", "title": "Contact email", "description": "Who to ask about this expense",
                            "format": "email"}
              },
              "required": ["amount", "category", "date"]
            }
            """;

    @Test
    void requestedSchemaSerialisesToTheJsonTheSpecificationExpects() {
        String wire = write(ExpenseForm.requestedSchema());

        assertThat(parse(wire)).isEqualTo(parse(EXPECTED_SCHEMA));
        // A form shows fields in the order of the properties: the wire keeps it.
        assertThat(wire).containsSubsequence("\"amount\"", "\"currency\"", "\"category\"", "\"date\"", "\"description\"",
                "\"billable\"", "\"tags\"", "\"contact\"");
        assertThat(wire).contains("\"minimum\":0.01", "\"maximum\":100000");
    }

    @Test
    void requestedSchemaIsAValidJsonSchemaForTheSdk() {
        assertThat(McpJsonDefaults.getSchemaValidator().validateSchema(ExpenseForm.requestedSchema()).valid()).isTrue();
    }

    @Test
    void statehousesOwnFormReaderReadsEveryField() {
        RequestedSchema form = RequestedSchema.parse(jakartaJson(write(ExpenseForm.requestedSchema())));

        List<FormField> fields = form.fields();
        assertThat(fields).extracting(FormField::name).containsExactly("amount", "currency", "category", "date",
                "description", "billable", "tags", "contact");
        assertThat(fields.get(0)).isInstanceOfSatisfying(NumberField.class, f -> {
            assertThat(f.required()).isTrue();
            assertThat(f.integer()).isFalse();
            assertThat(f.minimum()).isEqualByComparingTo("0.01");
            assertThat(f.maximum()).isEqualByComparingTo("100000");
        });
        assertThat(fields.get(1)).isInstanceOfSatisfying(ChoiceField.class, f -> {
            assertThat(f.options()).startsWith(new Option("EUR", "Euro"), new Option("USD", "US dollar")).hasSize(5);
            assertThat(f.defaultValue()).isEqualTo("EUR");
            assertThat(f.required()).isFalse();
        });
        assertThat(fields.get(2)).isInstanceOfSatisfying(ChoiceField.class, f -> {
            assertThat(f.options()).extracting(Option::value).containsExactlyElementsOf(Expense.CATEGORIES);
            assertThat(f.required()).isTrue();
        });
        assertThat(fields.get(3)).isEqualTo(new TextField("date", "Date", "The day it was spent", true, null, null,
                TextFormat.DATE, null));
        assertThat(fields.get(4)).isEqualTo(new TextField("description", "Description", null, false, 3, 200, null, null));
        assertThat(fields.get(5)).isEqualTo(new BooleanField("billable", "Billable to a client", null, false, false));
        assertThat(fields.get(6)).isInstanceOfSatisfying(MultiChoiceField.class, f -> {
            assertThat(f.options()).extracting(Option::value).containsExactlyElementsOf(Expense.TAGS);
            assertThat(f.minItems()).isZero();
            assertThat(f.maxItems()).isEqualTo(3);
        });
        assertThat(fields.get(7)).isInstanceOfSatisfying(TextField.class,
                f -> assertThat(f.format()).isEqualTo(TextFormat.EMAIL));
    }

    @Test
    void anAnswerFromStatehousesTasklistFormIsRecordable() {
        RequestedSchema form = RequestedSchema.parse(jakartaJson(write(ExpenseForm.requestedSchema())));
        // What a person's browser posts: strings, and a list for the multiple choice.
        JsonObject content = form.validate(Map.of("amount", "42.5", "category", "meals", "date", "2026-11-24",
                "billable", "true", "tags", List.of("team", "urgent"), "contact", "ana@example.com"));

        Expense.Draft draft = ExpenseForm.read(parse(content.toString()));

        assertThat(draft).isEqualTo(new Expense.Draft(new BigDecimal("42.5"), "EUR", "meals",
                LocalDate.parse("2026-11-24"), null, true, List.of("team", "urgent"), "ana@example.com"));
    }

    @Test
    void readTakesEveryFieldAsJsonBringsIt() {
        Expense.Draft draft = ExpenseForm.read(parse("""
                {"amount": 1250, "currency": "CHF", "category": "lodging", "date": "2026-11-03",
                 "description": "Three nights in Basel", "billable": true, "tags": ["conference"],
                 "contact": "ana@example.com"}
                """));

        assertThat(draft).isEqualTo(new Expense.Draft(new BigDecimal("1250"), "CHF", "lodging",
                LocalDate.parse("2026-11-03"), "Three nights in Basel", true, List.of("conference"), "ana@example.com"));
    }

    @Test
    void absentOptionalFieldsTakeTheirDefaults() {
        Expense.Draft draft = ExpenseForm.read(parse("""
                {"amount": 9.99, "category": "software", "date": "2026-11-01", "description": "", "contact": ""}
                """));

        assertThat(draft.currency()).isEqualTo("EUR");
        assertThat(draft.billable()).isFalse();
        assertThat(draft.tags()).isEmpty();
        assertThat(draft.description()).isNull();
        assertThat(draft.contact()).isNull();
    }

    @Test
    void anAnswerThatViolatesTheFormIsRejectedWithEveryProblem() {
        assertThatThrownBy(() -> ExpenseForm.read(parse("""
                {"amount": 0.001, "currency": "XYZ", "category": "fun", "date": "24.11.2026", "description": "ab",
                 "billable": "yes", "tags": ["team", "urgent", "conference", "recurring"], "contact": "not-an-email",
                 "approved": true}
                """)))
                .isInstanceOfSatisfying(ExpenseForm.AnswerRejected.class, e -> assertThat(e.problems()).containsExactly(
                        "approved was not asked for",
                        "amount must be between 0.01 and 100000",
                        "currency must be one of EUR, USD, GBP, CHF, JPY",
                        "category must be one of travel, meals, lodging, software, other",
                        "date must be a date such as 2026-11-24",
                        "description must have 3 to 200 characters",
                        "billable must be true or false",
                        "tags must be at most 3",
                        "contact must be an email address"));
    }

    @Test
    void anAnswerWithoutTheRequiredFieldsIsRejected() {
        assertThatThrownBy(() -> ExpenseForm.read(Map.of()))
                .isInstanceOfSatisfying(ExpenseForm.AnswerRejected.class, e -> assertThat(e.problems())
                        .containsExactly("amount is required", "category is required", "date is required"));
    }

    @Test
    void amountsWithMoreThanTwoDecimalsAreRejected() {
        assertThatThrownBy(() -> ExpenseForm.read(parse("""
                {"amount": 10.125, "category": "meals", "date": "2026-11-01"}
                """))).hasMessageContaining("amount must have at most two decimal places");
    }

    private static JsonObject jakartaJson(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
