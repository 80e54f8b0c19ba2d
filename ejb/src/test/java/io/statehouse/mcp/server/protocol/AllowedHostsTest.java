package io.statehouse.mcp.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;

class AllowedHostsTest {

    private final AllowedHosts hosts = new AllowedHosts(List.of("statehouse.example.org"));

    @Test
    void programsOnThisMachineAndConfiguredHostsAreLetThrough() {
        assertThatCode(() -> hosts.validate(headers(Map.of("Host", "127.0.0.1:8080")))).doesNotThrowAnyException();
        assertThatCode(() -> hosts.validate(headers(Map.of("Host", "[::1]:8080", "Origin", "http://localhost:6274")))).doesNotThrowAnyException();
        assertThatCode(() -> hosts.validate(headers(Map.of("Host", "statehouse.example.org",
                "Origin", "https://statehouse.example.org")))).doesNotThrowAnyException();
    }

    @Test
    void aRebindingAttackersHostOrOriginIsForbidden() {
        assertThatThrownBy(() -> hosts.validate(headers(Map.of("Host", "attacker.example:8080"))))
                .isInstanceOfSatisfying(ServerTransportSecurityException.class, e -> assertThat(e.getStatusCode()).isEqualTo(403))
                .hasMessageContaining("attacker.example");
        assertThatThrownBy(() -> hosts.validate(headers(Map.of("Host", "127.0.0.1:8080", "Origin", "https://evil.example"))))
                .isInstanceOf(ServerTransportSecurityException.class).hasMessageContaining("evil.example");
        assertThatThrownBy(() -> hosts.validate(headers(Map.of("Host", "127.0.0.1", "Origin", "file://localhost/x"))))
                .isInstanceOf(ServerTransportSecurityException.class);
    }

    @Test
    void hostHeadersAreReadWithAndWithoutPorts() {
        assertThat(AllowedHosts.hostOf("LOCALHOST:8080")).isEqualTo("localhost");
        assertThat(AllowedHosts.hostOf("[::1]:9990")).isEqualTo("[::1]");
        assertThat(AllowedHosts.hostOf("127.0.0.1")).isEqualTo("127.0.0.1");
    }

    private static HeaderAccessor headers(Map<String, String> values) {
        return new HeaderAccessor() {
            @Override
            public List<String> getHeader(String name) {
                return values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst()
                        .map(List::of).orElse(null);
            }

            @Override
            public List<String> getHeaderNames() {
                return List.copyOf(values.keySet());
            }
        };
    }
}
