package io.statehouse.mcp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.statehouse.sampling.MapConfig;

class RemoteServerConfigurationTest {

    private final List<String> warnings = new ArrayList<>();
    private final Logger log = Logger.getLogger(RemoteServerConfiguration.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel() == Level.WARNING) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
    }

    @Test
    void serversAreReadFromTheClientKeysWithoutWarning() {
        List<RemoteServer> servers = RemoteServerConfiguration.read(new MapConfig(Map.of(
                "statehouse.mcp.client.servers", "github, local",
                "statehouse.mcp.client.server.github.url", "https://mcp.example.org/mcp",
                "statehouse.mcp.client.server.github.authorization", "Bearer secret",
                "statehouse.mcp.client.server.local.url", "http://127.0.0.1:3001/mcp")), false);

        assertThat(servers).extracting(RemoteServer::name, s -> s.url().toString(), RemoteServer::authorization).containsExactly(
                Tuple.tuple("github", "https://mcp.example.org/mcp", "Bearer secret"),
                Tuple.tuple("local", "http://127.0.0.1:3001/mcp", null));
        assertThat(warnings).isEmpty();
    }

    @Test
    void theDeprecatedKeysStillWorkAndSaySo() {
        List<RemoteServer> servers = RemoteServerConfiguration.read(new MapConfig(Map.of(
                "statehouse.mcp.servers", "github",
                "statehouse.mcp.server.github.url", "https://mcp.example.org/mcp",
                "statehouse.mcp.server.github.authorization", "Bearer secret")), false);

        assertThat(servers).singleElement().satisfies(s -> {
            assertThat(s.url()).hasToString("https://mcp.example.org/mcp");
            assertThat(s.authorization()).isEqualTo("Bearer secret");
        });
        assertThat(warnings).hasSize(3).allSatisfy(w -> assertThat(w).contains("is deprecated"))
                .anySatisfy(w -> assertThat(w).contains("statehouse.mcp.servers").contains("statehouse.mcp.client.servers")
                        .contains("STATEHOUSE_MCP_CLIENT_SERVERS"));
    }

    @Test
    void aClientKeyWinsOverItsDeprecatedKey() {
        List<RemoteServer> servers = RemoteServerConfiguration.read(new MapConfig(Map.of(
                "statehouse.mcp.client.servers", "github",
                "statehouse.mcp.client.server.github.url", "https://new.example.org/mcp",
                "statehouse.mcp.server.github.url", "https://old.example.org/mcp")), false);

        assertThat(servers).singleElement().satisfies(s -> assertThat(s.url()).hasToString("https://new.example.org/mcp"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aNamedServerWithoutUrlIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> RemoteServerConfiguration.read(new MapConfig(Map.of("statehouse.mcp.client.servers", "github")), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("statehouse.mcp.client.servers names 'github', but statehouse.mcp.client.server.github.url is not set");
    }

    @Test
    void theDemoProfileAddsTheDemoServerUnlessConfigured() {
        assertThat(RemoteServerConfiguration.read(new MapConfig(Map.of()), true)).extracting(RemoteServer::name)
                .containsExactly(RemoteServerConfiguration.DEMO_SERVER);
        assertThat(RemoteServerConfiguration.read(new MapConfig(Map.of()), false)).isEmpty();
    }
}
