package io.statehouse.mcp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class McpHeadersTest {

    private static final Map<String, Object> DEPLOY = Map.of("type", "object", "properties", Map.of(
            "region", Map.of("type", "string", "x-mcp-header", "Region"),
            "replicas", Map.of("type", "integer", "x-mcp-header", "Replicas"),
            "target", Map.of("type", "object", "properties", Map.of("dryRun", Map.of("type", "boolean", "x-mcp-header", "Dry-Run"))),
            "query", Map.of("type", "string")));

    @Test
    void encodesAsTheSpecificationsTableShows() {
        assertThat(McpHeaders.encode("us-west1")).isEqualTo("us-west1");
        assertThat(McpHeaders.encode("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(McpHeaders.encode(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
        assertThat(McpHeaders.encode("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
        assertThat(McpHeaders.encode("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
        assertThat(McpHeaders.encode("us west 1")).as("inner spaces are plain").isEqualTo("us west 1");
        assertThat(McpHeaders.encode("\tindented")).as("a tab is a control character").isEqualTo("=?base64?CWluZGVudGVk?=");
        assertThat(McpHeaders.encode("")).isEmpty();
    }

    @Test
    void decodesTheSentinelAndTakesAnythingElseLiterally() {
        assertThat(McpHeaders.decode("=?base64?SGVsbG8sIOS4lueVjA==?=")).contains("Hello, 世界");
        assertThat(McpHeaders.decode("SGVsbG8=")).contains("SGVsbG8=");
        assertThat(McpHeaders.decode("=?base64?SGVsbG8=")).contains("=?base64?SGVsbG8=");
        assertThat(McpHeaders.decode("=?base64?SGVsbG8?=")).as("padding missing").isEmpty();
        assertThat(McpHeaders.decode("=?base64?SGVs!!!bG8=?=")).as("not the Base64 alphabet").isEmpty();
        assertThat(McpHeaders.decode("caf\u00e9")).as("a byte outside visible ASCII, as the servlet API reads it").isEmpty();
    }

    @Test
    void findsTheParametersThatNameHeadersThroughNestedProperties() {
        assertThat(McpHeaders.params(DEPLOY)).extracting(McpHeaders.Param::header, McpHeaders.Param::path)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Region", List.of("region")),
                        org.assertj.core.groups.Tuple.tuple("Replicas", List.of("replicas")),
                        org.assertj.core.groups.Tuple.tuple("Dry-Run", List.of("target", "dryRun")));
    }

    @Test
    void refusesHeadersTheSpecificationForbids() {
        assertThatThrownBy(() -> McpHeaders.params(schema(Map.of("a", Map.of("type", "string", "x-mcp-header", "Bad Name")))))
                .hasMessageContaining("HTTP token");
        assertThatThrownBy(() -> McpHeaders.params(schema(Map.of("a", Map.of("type", "string", "x-mcp-header", "")))))
                .hasMessageContaining("non-empty");
        assertThatThrownBy(() -> McpHeaders.params(schema(Map.of("a", Map.of("type", "number", "x-mcp-header", "A")))))
                .hasMessageContaining("only string, integer and boolean");
        assertThatThrownBy(() -> McpHeaders.params(schema(new TreeMap<>(Map.of(
                "a", Map.of("type", "string", "x-mcp-header", "Same"), "b", Map.of("type", "string", "x-mcp-header", "same"))))))
                .hasMessageContaining("names two parameters");
        assertThatThrownBy(() -> McpHeaders.params(schema(Map.of("list", Map.of("type", "array",
                "items", Map.of("type", "string", "x-mcp-header", "Item"))))))
                .hasMessageContaining("not reachable");
        assertThatThrownBy(() -> McpHeaders.params(Map.of("type", "object", "oneOf", List.of(schema(Map.of("a", Map.of("type", "string", "x-mcp-header", "A")))))))
                .hasMessageContaining("not reachable");
    }

    @Test
    void aClientMirrorsMethodNameAndMarkedArgumentsThatHaveValues() {
        Map<String, Object> params = Map.of("name", "deploy", "arguments", Map.of("region", "Hello, 世界", "replicas", 3,
                "target", Map.of("dryRun", true), "query", "SELECT 1"));
        assertThat(McpHeaders.forRequest("tools/call", params, McpHeaders.params(DEPLOY))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Mcp-Method", "tools/call", "Mcp-Name", "deploy", "Mcp-Param-Region", "=?base64?SGVsbG8sIOS4lueVjA==?=",
                "Mcp-Param-Replicas", "3", "Mcp-Param-Dry-Run", "true"));
        assertThat(McpHeaders.forRequest("tools/call", Map.of("name", "deploy", "arguments", Map.of()), McpHeaders.params(DEPLOY)))
                .as("no value, no header").containsOnlyKeys("Mcp-Method", "Mcp-Name");
        assertThat(McpHeaders.forRequest("resources/read", Map.of("uri", "file:///a b"), List.of()))
                .containsEntry("Mcp-Name", "file:///a b");
        assertThat(McpHeaders.forRequest("tools/list", Map.of(), List.of())).containsOnlyKeys("Mcp-Method");
    }

    @Test
    void aServerAcceptsWhatAClientSendsAndRefusesWhatDisagreesWithTheBody() {
        Map<String, Object> params = Map.of("name", "deploy", "arguments", Map.of("region", "eu-1", "replicas", 3));
        List<McpHeaders.Param> marked = McpHeaders.params(DEPLOY);
        Map<String, String> sent = McpHeaders.forRequest("tools/call", params, marked);
        assertThat(McpHeaders.mismatch(headers(sent), "tools/call", params, marked)).isEmpty();

        assertThat(mismatch(Map.of(), "tools/list", Map.of())).hasValueSatisfying(why -> assertThat(why).contains("Mcp-Method header is missing"));
        assertThat(mismatch(Map.of("Mcp-Method", "prompts/list"), "tools/list", Map.of())).hasValueSatisfying(why -> assertThat(why).contains("does not match"));
        assertThat(mismatch(Map.of("Mcp-Method", "TOOLS/LIST"), "tools/list", Map.of())).as("values are case-sensitive").isPresent();
        assertThat(mismatch(Map.of("Mcp-Method", "  tools/list  "), "tools/list", Map.of())).as("blanks around a value are not part of it").isEmpty();
        assertThat(mismatch(Map.of("Mcp-Method", "tools/call"), "tools/call", params)).hasValueSatisfying(why -> assertThat(why).contains("Mcp-Name header is missing"));
        assertThat(mismatch(Map.of("Mcp-Method", "tools/call", "Mcp-Name", "wrong_tool"), "tools/call", params)).isPresent();
        assertThat(mismatch(Map.of("Mcp-Method", "tools/call", "Mcp-Name", "=?base64?ZGVwbG95?="), "tools/call", Map.of("name", "deploy")))
                .as("an encoded name is compared decoded").isEmpty();

        Map<String, String> noRegion = new TreeMap<>(sent);
        noRegion.remove("Mcp-Param-Region");
        assertThat(McpHeaders.mismatch(headers(noRegion), "tools/call", params, marked))
                .hasValueSatisfying(why -> assertThat(why).contains("Mcp-Param-Region header is missing"));
        Map<String, String> otherRegion = new TreeMap<>(sent);
        otherRegion.put("Mcp-Param-Region", "us-west1");
        assertThat(McpHeaders.mismatch(headers(otherRegion), "tools/call", params, marked)).isPresent();
        Map<String, String> decimal = new TreeMap<>(sent);
        decimal.put("Mcp-Param-Replicas", "3.0");
        assertThat(McpHeaders.mismatch(headers(decimal), "tools/call", params, marked)).as("integers compare as numbers").isEmpty();
        Map<String, String> broken = new TreeMap<>(sent);
        broken.put("Mcp-Param-Region", "=?base64?ZXUtMQ?=");
        assertThat(McpHeaders.mismatch(headers(broken), "tools/call", params, marked)).hasValueSatisfying(why -> assertThat(why).contains("not a valid"));
    }

    private static Optional<String> mismatch(Map<String, String> sent, String method, Map<String, Object> params) {
        return McpHeaders.mismatch(headers(sent), method, params, List.of());
    }

    /** Headers as the servlet API reads them: by name, whatever its case. */
    private static Function<String, String> headers(Map<String, String> sent) {
        TreeMap<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(sent);
        return byName::get;
    }

    private static Map<String, Object> schema(Map<String, Object> properties) {
        return Map.of("type", "object", "properties", properties);
    }
}
