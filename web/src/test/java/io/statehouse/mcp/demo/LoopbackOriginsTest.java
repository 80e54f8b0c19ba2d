package io.statehouse.mcp.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;

class LoopbackOriginsTest {

    @Test
    void programsWithoutAnOriginAreLetThrough() {
        assertThatCode(() -> LoopbackOrigins.validate(headers(Map.of()))).doesNotThrowAnyException();
    }

    @Test
    void browsersOnThisMachineAreLetThrough() {
        assertThat(List.of("http://localhost:6274", "http://127.0.0.1:8080", "https://LOCALHOST", "http://[::1]:3000"))
                .allSatisfy(origin -> assertThat(LoopbackOrigins.allowed(origin)).as(origin).isTrue());
    }

    @Test
    void otherOriginsAreRefusedWith403() {
        assertThat(List.of("https://evil.example", "http://localhost.evil.example", "null", "file://", "ftp://localhost"))
                .allSatisfy(origin -> assertThat(LoopbackOrigins.allowed(origin)).as(origin).isFalse());
        assertThatThrownBy(() -> LoopbackOrigins.validate(headers(Map.of("Origin", List.of("https://evil.example")))))
                .isInstanceOfSatisfying(ServerTransportSecurityException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(403))
                .hasMessageContaining("https://evil.example");
    }

    private static HeaderAccessor headers(Map<String, List<String>> headers) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                return headers.get(name);
            }

            @Override
            public List<String> getHeaderNames() {
                return List.copyOf(headers.keySet());
            }
        };
    }
}
