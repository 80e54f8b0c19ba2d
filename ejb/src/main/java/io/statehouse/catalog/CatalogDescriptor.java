package io.statehouse.catalog;

import java.io.ByteArrayInputStream;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * One MCP catalog descriptor: a deployment resource named {@code *}{@value #SUFFIX} (format in the
 * README). An entry that is wrong is refused and named in {@link #problems()}; the descriptor's other
 * entries stay, and a descriptor that is not a JSON object is refused as a whole.
 *
 * @param catalog  what the descriptor declares, its refused entries left out
 * @param problems what is wrong, one line per refused entry, for the operator's log
 */
public record CatalogDescriptor(Catalog catalog, List<String> problems) {

    public static final String SUFFIX = ".mcp.json";

    public CatalogDescriptor {
        problems = List.copyOf(problems);
    }

    public static boolean isDescriptor(String resourceName) {
        return resourceName.endsWith(SUFFIX);
    }

    /**
     * @param name  the descriptor's resource name in its deployment
     * @param files the deployment's resources by name, for entries that give a {@code file}; a name
     *              is tried as it is, then relative to the descriptor's folder
     */
    public static CatalogDescriptor read(String name, byte[] json, Function<String, Optional<byte[]>> files) {
        JsonObject descriptor;
        try {
            JsonValue value = Json.createReader(new ByteArrayInputStream(json)).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return refused("it is not a JSON object");
            }
            descriptor = value.asJsonObject();
        } catch (JsonException e) {
            return refused("it is not valid JSON: " + e.getMessage());
        }
        String folder = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
        return new Reader(ref -> files.apply(ref).or(() -> files.apply(folder + ref))).read(descriptor);
    }

    private static CatalogDescriptor refused(String why) {
        return new CatalogDescriptor(Catalog.EMPTY, List.of("the descriptor is refused: " + why));
    }

    /** An entry that is refused, and why. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Reader {
        private final Function<String, Optional<byte[]>> files;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, Optional<byte[]>> files) {
            this.files = files;
        }

        CatalogDescriptor read(JsonObject descriptor) {
            Catalog catalog = new Catalog(
                    entries(descriptor, "resources", "uri", this::resource),
                    entries(descriptor, "resourceTemplates", "uriTemplate", this::template),
                    entries(descriptor, "prompts", "name", this::prompt));
            return new CatalogDescriptor(catalog, problems);
        }

        private <T> List<T> entries(JsonObject descriptor, String list, String key, Function<JsonObject, T> reader) {
            List<T> read = new ArrayList<>();
            if (!descriptor.containsKey(list)) {
                return read;
            }
            if (descriptor.get(list).getValueType() != JsonValue.ValueType.ARRAY) {
                problems.add(list + " is refused: it must be an array");
                return read;
            }
            JsonArray entries = descriptor.getJsonArray(list);
            for (int i = 0; i < entries.size(); i++) {
                JsonValue entry = entries.get(i);
                String label = list + "[" + i + "]";
                try {
                    if (entry.getValueType() != JsonValue.ValueType.OBJECT) {
                        throw new Refused("it must be an object");
                    }
                    label += Optional.ofNullable(optional(entry.asJsonObject(), key)).map(k -> " (" + k + ")").orElse("");
                    read.add(reader.apply(entry.asJsonObject()));
                } catch (Refused e) {
                    problems.add(label + " is refused: " + e.getMessage());
                }
            }
            return read;
        }

        private CatalogResource resource(JsonObject entry) {
            return new CatalogResource(required(entry, "uri"), required(entry, "name"), optional(entry, "title"),
                    optional(entry, "description"), contents(entry, "text/plain"));
        }

        private ResourceTemplate template(JsonObject entry) {
            Map<String, List<String>> completions = new LinkedHashMap<>();
            JsonObject declared = object(entry, "completions");
            if (declared != null) {
                declared.keySet().forEach(variable -> completions.put(variable, strings(declared, variable)));
            }
            ResourceTemplate template = new ResourceTemplate(required(entry, "uriTemplate"), required(entry, "name"),
                    optional(entry, "title"), optional(entry, "description"), contents(entry, "text/plain"), completions);
            List<String> unknown = completions.keySet().stream().filter(v -> !template.variables().contains(v)).toList();
            if (!unknown.isEmpty()) {
                throw new Refused("completions name " + unknown + ", which are not variables of " + template.uriTemplate());
            }
            return template;
        }

        private CatalogPrompt prompt(JsonObject entry) {
            String name = required(entry, "name");
            String description = optional(entry, "description");
            if (description == null || description.isBlank()) {
                throw new Refused("a prompt needs a description (clients show it to choose a prompt)");
            }
            List<CatalogPrompt.Argument> arguments = new ArrayList<>();
            for (JsonObject argument : objects(entry, "arguments")) {
                arguments.add(new CatalogPrompt.Argument(required(argument, "name"), optional(argument, "description"),
                        argument.getBoolean("required", false), strings(argument, "values")));
            }
            List<PromptMessage> messages = objects(entry, "messages").stream().map(this::message).toList();
            if (messages.isEmpty()) {
                throw new Refused("a prompt needs at least one message");
            }
            return new CatalogPrompt(name, optional(entry, "title"), description, arguments, messages);
        }

        private PromptMessage message(JsonObject message) {
            String role = Optional.ofNullable(optional(message, "role")).orElse("user");
            if (!role.equals("user") && !role.equals("assistant")) {
                throw new Refused("a message's role is user or assistant, not " + role);
            }
            PromptMessage.Part part;
            if (message.containsKey("text")) {
                part = new PromptMessage.Text(required(message, "text"));
            } else if (object(message, "resource") != null) {
                JsonObject resource = message.getJsonObject("resource");
                boolean own = resource.containsKey("text") || resource.containsKey("file");
                part = new PromptMessage.EmbeddedResource(required(resource, "uri"), own ? contents(resource, "text/plain") : null);
            } else if (object(message, "image") != null) {
                Contents image = contents(message.getJsonObject("image"), null);
                if (image.blob() == null) {
                    throw new Refused("an image message needs a binary file, not text");
                }
                part = new PromptMessage.Image(image.mimeType(), image.blob());
            } else {
                throw new Refused("a message needs text, resource or image");
            }
            return new PromptMessage(role.equals("assistant"), part);
        }

        /** Inline {@code text}, or a {@code file} of the deployment: text for text and JSON media types, else base64. */
        private Contents contents(JsonObject entry, String textDefault) {
            String mimeType = optional(entry, "mimeType");
            if (entry.containsKey("text")) {
                return Contents.text(mimeType == null ? textDefault : mimeType, required(entry, "text"));
            }
            String file = optional(entry, "file");
            if (file == null) {
                throw new Refused("it needs text or a file");
            }
            byte[] bytes = files.apply(file).orElseThrow(() -> new Refused("the file " + file + " is not in the deployment"));
            String type = mimeType != null ? mimeType
                    : Optional.ofNullable(URLConnection.guessContentTypeFromName(file)).orElse("application/octet-stream");
            return textual(type) ? Contents.text(type, new String(bytes, StandardCharsets.UTF_8))
                    : Contents.blob(type, Base64.getEncoder().encodeToString(bytes));
        }

        private static boolean textual(String mimeType) {
            String type = mimeType.toLowerCase(Locale.ROOT);
            int parameters = type.indexOf(';');
            String bare = (parameters < 0 ? type : type.substring(0, parameters)).trim();
            return bare.startsWith("text/") || bare.equals("application/json") || bare.endsWith("+json");
        }

        private static String required(JsonObject entry, String key) {
            String value = optional(entry, key);
            if (value == null || value.isBlank()) {
                throw new Refused(key + " is missing");
            }
            return value;
        }

        private static String optional(JsonObject entry, String key) {
            JsonValue value = entry.get(key);
            if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
                return null;
            }
            if (value.getValueType() != JsonValue.ValueType.STRING) {
                throw new Refused(key + " must be a string");
            }
            return ((JsonString) value).getString();
        }

        private static JsonObject object(JsonObject entry, String key) {
            JsonValue value = entry.get(key);
            if (value == null) {
                return null;
            }
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new Refused(key + " must be an object");
            }
            return value.asJsonObject();
        }

        private static List<JsonObject> objects(JsonObject entry, String key) {
            return array(entry, key, JsonValue.ValueType.OBJECT, "objects").stream().map(JsonValue::asJsonObject).toList();
        }

        private static List<String> strings(JsonObject entry, String key) {
            return array(entry, key, JsonValue.ValueType.STRING, "strings").stream().map(v -> ((JsonString) v).getString()).toList();
        }

        private static List<JsonValue> array(JsonObject entry, String key, JsonValue.ValueType type, String what) {
            JsonValue value = entry.get(key);
            if (value == null) {
                return List.of();
            }
            if (value.getValueType() != JsonValue.ValueType.ARRAY
                    || value.asJsonArray().stream().anyMatch(v -> v.getValueType() != type)) {
                throw new Refused(key + " must be an array of " + what);
            }
            return value.asJsonArray();
        }
    }
}
