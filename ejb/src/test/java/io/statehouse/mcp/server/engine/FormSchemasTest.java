package io.statehouse.mcp.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.form.FormField;
import org.camunda.bpm.engine.form.FormType;
import org.camunda.bpm.engine.impl.form.FormFieldImpl;
import org.camunda.bpm.engine.impl.form.type.EnumFormType;
import org.camunda.bpm.engine.impl.form.type.LongFormType;
import org.camunda.bpm.engine.impl.form.type.StringFormType;
import org.junit.jupiter.api.Test;

import io.statehouse.bpmn.ProcessModels.ProcessTool;

class FormSchemasTest {

    @Test
    void fieldsBecomeTypedPropertiesWithTitlesAndDefaults() {
        Map<String, Object> schema = FormSchemas.inputSchema(List.of(field("age", new LongFormType(), "Age", 30L, null)));

        assertThat(property(schema, "age")).containsEntry("type", "integer").containsEntry("title", "Age").containsEntry("default", 30L);
    }

    @Test
    void aStringFieldRefinedAsANumberWithADecimalDefault() {
        Map<String, Object> schema = FormSchemas.inputSchema(List.of(field("score", new StringFormType(), null, null,
                "{\"type\":\"number\",\"description\":\"User score\",\"default\":95.5}")));

        assertThat(property(schema, "score")).containsEntry("type", "number").containsEntry("description", "User score")
                .containsEntry("default", new BigDecimal("95.5"));
    }

    @Test
    void anEnumFieldRefinedWithAnUntitledEnumLosesItsTitledOptions() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("active", "Active");
        values.put("inactive", "Inactive");
        Map<String, Object> schema = FormSchemas.inputSchema(List.of(field("status", new EnumFormType(values), null, "active",
                "{\"enum\":[\"active\",\"inactive\"]}")));

        assertThat(property(schema, "status")).containsEntry("enum", List.of("active", "inactive")).containsEntry("default", "active")
                .doesNotContainKey("oneOf");
    }

    @Test
    void anEnumFieldWithoutRefinementIsATitledSingleSelect() {
        Map<String, Object> schema = FormSchemas.inputSchema(List.of(field("status", new EnumFormType(Map.of("active", "Active")), null, null, null)));

        assertThat(property(schema, "status")).containsEntry("oneOf", List.of(Map.of("const", "active", "title", "Active")));
    }

    @Test
    void aFieldRefinedAsAnArrayIsAMultiSelect() {
        Map<String, Object> schema = FormSchemas.inputSchema(List.of(field("picks", new EnumFormType(Map.of("a", "A")), null, null,
                "{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"a\",\"b\"]}}")));

        assertThat(property(schema, "picks")).containsEntry("type", "array").doesNotContainKey("oneOf").containsKey("items");
    }

    @Test
    void aRefinementThatIsNotAJsonObjectNamesTheField() {
        List<FormField> fields = List.of(field("score", new StringFormType(), null, null, "[1,2]"));

        assertThatThrownBy(() -> FormSchemas.inputSchema(fields)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("form field 'score'").hasMessageContaining("JSON object");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> property(Map<String, Object> schema, String name) {
        return (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get(name);
    }

    private static FormField field(String id, FormType type, String label, Object defaultValue, String refinement) {
        FormFieldImpl field = new FormFieldImpl();
        field.setId(id);
        field.setType(type);
        field.setLabel(label);
        field.setDefaultValue(defaultValue);
        field.setValidationConstraints(List.of());
        field.setProperties(refinement == null ? Map.of() : Map.of(ProcessTool.PROPERTY_SCHEMA, refinement));
        return field;
    }
}
