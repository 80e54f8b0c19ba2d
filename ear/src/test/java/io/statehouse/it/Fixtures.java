package io.statehouse.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The files of {@code src/test/resources} that the ITs deploy or hand to their peers, read from the
 * test classpath: BPMN models with diagram data ({@code fixtures/}, {@code conformance/}), MCP
 * catalog descriptors, the conformance suite's lists. Part of the ITs' shared harness; the models
 * are files so that Camunda Modeler opens them and {@code DiagramDataTest} in the bpmn module checks them.
 */
final class Fixtures {

    private Fixtures() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath (ear/src/test/resources)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + resource, e);
        }
    }

    static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    /** The file itself, for a peer that reads it by path (the conformance suite). */
    static Path path(String resource) {
        URL url = Fixtures.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the test classpath (ear/src/test/resources)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is no file", e);
        }
    }
}
