package io.statehouse.it;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

/**
 * A small HTTP client for the tests: JSON in and out, Basic authentication, a cookie jar. The base of
 * the ITs' shared harness; {@link EngineRest} speaks the engine REST API over it.
 */
final class Http {

    static final String BASE = "http://127.0.0.1:8080";
    static final String ENGINE_REST = BASE + "/statehouse/engine-rest";
    static final String API = BASE + "/statehouse/api";

    private final HttpClient client;
    private final String authorization;

    private Http(String user, String password) {
        this.client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Http as(String user, String password) {
        return new Http(user, password);
    }

    static Http anonymous() {
        return new Http(null, null);
    }

    HttpResponse<String> get(String url, String... headers) {
        return send(request(url, headers).GET().build());
    }

    HttpResponse<String> postJson(String url, String json, String... headers) {
        return send(request(url, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> putJson(String url, String json, String... headers) {
        return send(request(url, headers).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> delete(String url, String... headers) {
        return send(request(url, headers).DELETE().build());
    }

    HttpResponse<String> postForm(String url, String form, String... headers) {
        return send(request(url, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    /** Posts a body of its own content type (a multipart form, for one). */
    HttpResponse<String> post(String url, String contentType, byte[] body) {
        return send(request(url).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String url, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonObject object(HttpResponse<String> response) {
        return (JsonObject) json(response);
    }

    /** A JSON object written as text, such as a JSON variable's value. */
    static JsonObject object(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static JsonArray array(HttpResponse<String> response) {
        return (JsonArray) json(response);
    }

    private static JsonStructure json(HttpResponse<String> response) {
        try (var reader = Json.createReader(new StringReader(response.body()))) {
            return reader.read();
        }
    }

    /** Waits for something that happens asynchronously (the job executor), failing with {@code what}. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Still waiting after " + limit + " for: " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
