package io.statehouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator reads when the first connection fails. The H2 case is real: another process (a
 * first node) holds the database file, and this JVM (a second node pointed at the same file) opens it.
 */
class EngineBootstrapDatabaseTest {

    @TempDir
    Path data;

    @Test
    void aSecondNodeOnTheH2FileOfAnotherIsToldThatAClusterNeedsPostgreSql() throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("statehouse").toAbsolutePath();
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), H2FileHolder.class.getName(), url)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the first process opened the H2 file").isEqualTo("open");

            SQLException refused = catchThrowableOfType(() -> DriverManager.getConnection(url, "sa", "sa").close(), SQLException.class);
            assertThat((Throwable) refused).as("H2 refuses a second process its file").isNotNull();
            String message = EngineBootstrap.unreachable(refused).getMessage();

            assertThat(message).contains("in use by another process").contains("cannot be shared")
                    .contains("a cluster needs PostgreSQL").contains("STATEHOUSE_DB_DRIVER=postgresql")
                    .contains(data.resolve("statehouse").toAbsolutePath().toString());
        } finally {
            first.getOutputStream().close();
            if (!first.waitFor(20, TimeUnit.SECONDS)) {
                first.destroyForcibly();
            }
        }
    }

    @Test
    void anyOtherFailureKeepsTheDriversMessage() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5433 refused", "08001");
        assertThat(EngineBootstrap.unreachable(refused).getMessage())
                .isEqualTo("Cannot reach the database behind " + EngineBootstrap.DATASOURCE + ": Connection to 127.0.0.1:5433 refused");
    }
}
