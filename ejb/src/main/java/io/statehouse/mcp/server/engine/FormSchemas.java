package io.statehouse.mcp.server.engine;

import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.form.FormField;
import org.camunda.bpm.engine.form.FormFieldValidationConstraint;

import io.statehouse.bpmn.ProcessModels.ProcessTool;
import io.statehouse.elicitation.JsonAnswers;

/**
 * A start form's fields as the JSON schema of a tool's arguments: string, long (integer), boolean,
 * date (string, date-time... as Camunda's form service takes it) and enum fields, with their
 * labels, defaults and the constraints required, minlength, maxlength, min and max. A field's
 * property {@value ProcessTool#PROPERTY_SCHEMA} (a JSON object) is laid over what the field gives, for what
 * Camunda's form types cannot say: numbers with decimals, multi-select, descriptions.
 */
final class FormSchemas {

    private FormSchemas() {
    }

    static Map<String, Object> inputSchema(List<FormField> fields) {
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (FormField field : fields) {
            Map<String, Object> property = new LinkedHashMap<>();
            String type = field.getTypeName();
            switch (type == null ? "string" : type) {
                case "long":
                    property.put("type", "integer");
                    break;
                case "boolean":
                    property.put("type", "boolean");
                    break;
                case "date":
                    property.put("type", "string");
                    property.put("description", "a date as dd/MM/yyyy");
                    break;
                case "enum":
                    property.put("type", "string");
                    Object values = field.getType().getInformation("values");
                    if (values instanceof Map<?, ?> map && !map.isEmpty()) {
                        List<Map<String, Object>> options = new ArrayList<>();
                        map.forEach((value, title) -> options.add(Map.of("const", String.valueOf(value), "title", String.valueOf(title))));
                        property.put("oneOf", options);
                    }
                    break;
                default:
                    property.put("type", "string");
            }
            if (field.getLabel() != null && !field.getLabel().isBlank()) {
                property.put("title", field.getLabel());
            }
            Object defaultValue = field.getDefaultValue();
            if (defaultValue != null && !(defaultValue instanceof Date)) {
                property.put("default", defaultValue);
            }
            for (FormFieldValidationConstraint constraint : field.getValidationConstraints()) {
                Object config = constraint.getConfiguration();
                switch (constraint.getName()) {
                    case "required":
                        required.add(field.getId());
                        break;
                    case "minlength":
                        property.put("minLength", Integer.valueOf(String.valueOf(config)));
                        break;
                    case "maxlength":
                        property.put("maxLength", Integer.valueOf(String.valueOf(config)));
                        break;
                    case "min":
                        property.put("minimum", Long.valueOf(String.valueOf(config)));
                        break;
                    case "max":
                        property.put("maximum", Long.valueOf(String.valueOf(config)));
                        break;
                    default:
                        break;
                }
            }
            String refined = field.getProperties() == null ? null : field.getProperties().get(ProcessTool.PROPERTY_SCHEMA);
            if (refined != null && !refined.isBlank()) {
                property.putAll(JsonAnswers.parseObject(refined,
                        "The " + ProcessTool.PROPERTY_SCHEMA + " property of form field '" + field.getId() + "'"));
                // An enum field's titled options give way to a refinement that lists its values otherwise.
                if (property.containsKey("enum") || "array".equals(property.get("type"))) {
                    property.remove("oneOf");
                }
            }
            properties.put(field.getId(), property);
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }
}
