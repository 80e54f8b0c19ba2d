package io.statehouse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

/** A running Node script of the ITs; its output collected as it comes. */
final class NodeScript {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private NodeScript(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> output.append(line).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                output.append("[output lost: ").append(e.getMessage()).append("]\n");
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code script} from the ITs' Node folder with Node 20 (the machine's), with the arguments. */
    static NodeScript start(String script, String... arguments) throws IOException {
        Path path = Path.of(System.getProperty("statehouse.it.node.dir", "target/node"), script);
        List<String> command = new ArrayList<>(List.of("node", path.toString()));
        command.addAll(List.of(arguments));
        return new NodeScript(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    String output() {
        return output.toString();
    }

    /** Whether the script has exited within {@code limit} (with any code); it is killed if not. */
    boolean exits(Duration limit) throws InterruptedException {
        boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        reader.join(Duration.ofSeconds(10).toMillis());
        return finished;
    }

    /** The exit code of a script that has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** The script's last JSON line, once it has exited with 0. */
    JsonObject result(Duration limit) throws InterruptedException {
        boolean finished = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        reader.join(Duration.ofSeconds(10).toMillis());
        assertThat(finished).as("the script exited within %s; its output:%n%s", limit, output()).isTrue();
        assertThat(process.exitValue()).as(output()).isZero();
        String last = output().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}");
        return Http.object(last);
    }
}
