package io.statehouse.mcp.http;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * SEP-2243, as MCP 2026-07-28 has it: a client mirrors a request's method into {@code Mcp-Method},
 * the name or URI it acts on into {@code Mcp-Name}, and each tool argument the tool's
 * {@code inputSchema} marks with {@code x-mcp-header} into {@code Mcp-Param-{name}}, so that a
 * load balancer or gateway can route without reading the body; a server that reads the body rejects
 * a request whose headers say otherwise (HTTP 400, JSON-RPC {@value #HEADER_MISMATCH}), since
 * what routed the request and what runs it must be the same thing.
 *
 * <p>A value that is not plain visible ASCII (or has leading or trailing blanks, or looks like the
 * sentinel itself) travels as {@code =?base64?…?=}, the Base64 of its UTF-8 bytes.
 */
public final class McpHeaders {

    public static final String METHOD = "Mcp-Method";
    public static final String NAME = "Mcp-Name";
    public static final String PARAM_PREFIX = "Mcp-Param-";
    /** The schema extension that names a parameter's header. */
    public static final String X_MCP_HEADER = "x-mcp-header";
    /** JSON-RPC error {@code HeaderMismatch}. */
    public static final int HEADER_MISMATCH = -32020;
    /** JSON-RPC error {@code UnsupportedProtocolVersion} (an {@code MCP-Protocol-Version} the server does not speak), with {@code data.supported}. */
    public static final int UNSUPPORTED_VERSION = -32022;

    private static final String SENTINEL_START = "=?base64?";
    private static final String SENTINEL_END = "?=";
    /** RFC 9110 {@code token}: the characters of a field name. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern BASE64 = Pattern.compile("(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?");
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    /** A parameter whose value a header mirrors: its path of {@code properties} keys, and its JSON type. */
    public record Param(String header, List<String> path, String type) {
    }

    private McpHeaders() {
    }

    /** The body value that {@code Mcp-Name} mirrors for that method, if the method has one. */
    public static Optional<String> nameOf(String method, Map<String, ?> params) {
        String key = switch (method == null ? "" : method) {
            case "tools/call", "prompts/get" -> "name";
            case "resources/read" -> "uri";
            // The tasks extension: a balancer can route a task's requests by its id.
            case "tasks/get", "tasks/update", "tasks/cancel" -> "taskId";
            default -> null;
        };
        return key == null || params == null || !(params.get(key) instanceof String value) ? Optional.empty() : Optional.of(value);
    }

    /**
     * The parameters of a tool's input schema that name a header, checked as the specification asks:
     * a token name, unique regardless of case, on a string, integer or boolean property reached from
     * the root through {@code properties} alone.
     *
     * @throws IllegalArgumentException naming the property and what is wrong with it
     */
    public static List<Param> params(Map<String, ?> inputSchema) {
        List<Param> params = new ArrayList<>();
        if (inputSchema != null) {
            collect(inputSchema, new ArrayList<>(), params);
            misplaced(inputSchema, "", true);
        }
        Set<String> seen = new HashSet<>();
        for (Param param : params) {
            if (!seen.add(param.header().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(X_MCP_HEADER + " '" + param.header() + "' names two parameters (header names ignore case)");
            }
        }
        return params;
    }

    private static void collect(Map<String, ?> schema, List<String> path, List<Param> params) {
        if (!(schema.get("properties") instanceof Map<?, ?> properties)) {
            return;
        }
        for (Map.Entry<?, ?> entry : properties.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> property)) {
                continue;
            }
            List<String> at = new ArrayList<>(path);
            at.add(String.valueOf(entry.getKey()));
            Object header = property.get(X_MCP_HEADER);
            if (header != null) {
                String where = "property '" + String.join(".", at) + "'";
                if (!(header instanceof String name) || !TOKEN.matcher(name).matches()) {
                    throw new IllegalArgumentException(X_MCP_HEADER + " of " + where + " must be a non-empty HTTP token (letters, digits, !#$%&'*+-.^_`|~), not '" + header + "'");
                }
                Object type = property.get("type");
                if (!"string".equals(type) && !"integer".equals(type) && !"boolean".equals(type)) {
                    throw new IllegalArgumentException(X_MCP_HEADER + " '" + name + "' is on " + where + " of type " + type
                            + "; only string, integer and boolean parameters can be headers");
                }
                params.add(new Param(name, List.copyOf(at), (String) type));
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> nested = (Map<String, ?>) property;
            collect(nested, at, params);
        }
    }

    /** An {@code x-mcp-header} anywhere but on a chain of {@code properties} is an invalid tool definition. */
    private static void misplaced(Object node, String where, boolean reachable) {
        if (node instanceof Map<?, ?> map) {
            if (!reachable && map.containsKey(X_MCP_HEADER)) {
                throw new IllegalArgumentException(X_MCP_HEADER + " at " + where + " is not reachable from the schema root through properties alone");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                if (key.equals("properties") && reachable && entry.getValue() instanceof Map<?, ?> properties) {
                    properties.forEach((name, property) -> misplaced(property, where + "/properties/" + name, true));
                } else if (!key.equals(X_MCP_HEADER)) {
                    misplaced(entry.getValue(), where + "/" + key, false);
                }
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                misplaced(list.get(i), where + "/" + i, false);
            }
        }
    }

    /**
     * The headers a client sends with a request of MCP 2026-07-28: {@code Mcp-Method}, {@code Mcp-Name}
     * where the method has one, and for {@code tools/call} an {@code Mcp-Param-*} per marked argument
     * that has a value.
     *
     * @param params      the request's params
     * @param toolHeaders for {@code tools/call}, the called tool's {@link #params}; empty otherwise
     */
    public static Map<String, String> forRequest(String method, Map<String, ?> params, List<Param> toolHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(METHOD, method);
        nameOf(method, params).ifPresent(name -> headers.put(NAME, encode(name)));
        if ("tools/call".equals(method) && params != null && params.get("arguments") instanceof Map<?, ?> arguments) {
            for (Param param : toolHeaders) {
                Object value = valueAt(arguments, param.path());
                if (value != null) {
                    headers.put(PARAM_PREFIX + param.header(), encode(text(value)));
                }
            }
        }
        return headers;
    }

    /**
     * What is wrong with a request's headers against its body, or empty when they agree.
     *
     * @param header      a header's value by its name (case-insensitive, as the servlet API reads them), or null
     * @param toolHeaders for {@code tools/call}, the called tool's {@link #params}; empty otherwise
     */
    public static Optional<String> mismatch(Function<String, String> header, String method, Map<String, ?> params, List<Param> toolHeaders) {
        String sentMethod = header.apply(METHOD);
        if (sentMethod == null) {
            return Optional.of("the " + METHOD + " header is missing; it must be the request's method, " + method);
        }
        if (!sentMethod.strip().equals(method)) {
            return Optional.of("the " + METHOD + " header '" + sentMethod.strip() + "' does not match the body's method '" + method + "'");
        }
        Optional<String> name = nameOf(method, params);
        if (name.isPresent()) {
            String sentName = header.apply(NAME);
            if (sentName == null) {
                return Optional.of("the " + NAME + " header is missing; a " + method + " request names '" + name.get() + "' in it");
            }
            Optional<String> decoded = decode(sentName.strip());
            if (decoded.isEmpty()) {
                return Optional.of("the " + NAME + " header is not a valid header value or =?base64?...?= encoding");
            }
            if (!decoded.get().equals(name.get())) {
                return Optional.of("the " + NAME + " header '" + decoded.get() + "' does not match the body's '" + name.get() + "'");
            }
        }
        if ("tools/call".equals(method)) {
            Map<?, ?> arguments = params != null && params.get("arguments") instanceof Map<?, ?> a ? a : Map.of();
            for (Param param : toolHeaders) {
                String headerName = PARAM_PREFIX + param.header();
                Object value = valueAt(arguments, param.path());
                String sent = header.apply(headerName);
                if (sent == null) {
                    if (value != null) {
                        return Optional.of("the " + headerName + " header is missing; the argument " + String.join(".", param.path()) + " has a value");
                    }
                    continue;
                }
                Optional<String> decoded = decode(sent.strip());
                if (decoded.isEmpty()) {
                    return Optional.of("the " + headerName + " header is not a valid header value or =?base64?...?= encoding");
                }
                if (value == null) {
                    return Optional.of("the " + headerName + " header is sent, but the argument " + String.join(".", param.path()) + " has no value");
                }
                if (!same(decoded.get(), value, param.type())) {
                    return Optional.of("the " + headerName + " header '" + decoded.get() + "' does not match the argument "
                            + String.join(".", param.path()) + " (" + text(value) + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** A value as a header carries it: plain when it is visible ASCII (inner spaces too) with no blanks at its ends, else the Base64 sentinel. */
    public static String encode(String value) {
        // Visible ASCII and inner spaces travel as they are; a tab, like any control character, is encoded.
        boolean plain = value.equals(value.strip()) && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)
                && !(value.startsWith(SENTINEL_START) && value.endsWith(SENTINEL_END));
        return plain ? value : SENTINEL_START + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + SENTINEL_END;
    }

    /** A header's value decoded, or empty when it holds characters a header may not, or a broken Base64 sentinel. */
    public static Optional<String> decode(String value) {
        if (!value.chars().allMatch(c -> c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7E))) {
            return Optional.empty();
        }
        if (value.startsWith(SENTINEL_START) && value.endsWith(SENTINEL_END) && value.length() >= SENTINEL_START.length() + SENTINEL_END.length()) {
            String encoded = value.substring(SENTINEL_START.length(), value.length() - SENTINEL_END.length());
            if (!BASE64.matcher(encoded).matches()) {
                return Optional.empty();
            }
            byte[] bytes = Base64.getDecoder().decode(encoded);
            var decoder = StandardCharsets.UTF_8.newDecoder();
            try {
                return Optional.of(decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString());
            } catch (java.nio.charset.CharacterCodingException e) {
                return Optional.empty();
            }
        }
        return Optional.of(value);
    }

    private static Object valueAt(Map<?, ?> arguments, List<String> path) {
        Object at = arguments;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(key);
        }
        return at;
    }

    private static String text(Object value) {
        if (value instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (value instanceof Number n) {
            BigDecimal decimal = new BigDecimal(n.toString());
            return decimal.stripTrailingZeros().scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
        }
        return String.valueOf(value);
    }

    private static boolean same(String sent, Object value, String type) {
        if ("integer".equals(type) && value instanceof Number number) {
            try {
                BigDecimal header = new BigDecimal(sent);
                BigDecimal body = new BigDecimal(number.toString());
                return header.compareTo(body) == 0 && body.abs().compareTo(BigDecimal.valueOf(MAX_SAFE_INTEGER)) <= 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return sent.equals(text(value));
    }
}
