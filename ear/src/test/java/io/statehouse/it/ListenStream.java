package io.statehouse.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

/**
 * A 2026-07-28 {@code subscriptions/listen} stream on one MCP endpoint, open until closed, with the
 * events it carries queued as they arrive and stamped with the time they did. Part of the ITs'
 * shared harness, beside {@link StatelessMcp}.
 */
final class ListenStream implements AutoCloseable {

    /** One event of the stream and when it arrived ({@link System#nanoTime()}). */
    record Event(JsonObject message, long arrivedNanos) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<HttpResponse<Void>> stream;
    private Event acknowledgement;

    private ListenStream(String url, String user, String password, String id, String notifications, String capabilities) {
        String body = StatelessMcp.body("subscriptions/listen", "{\"notifications\":" + notifications + "}", capabilities)
                .replaceFirst("\"id\":\"[^\"]+\"", "\"id\":\"" + id + "\"");
        HttpRequest listen = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .headers(StatelessMcp.headers("subscriptions/listen"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        stream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(listen, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        subscription.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(String line) {
                        if (line.startsWith("data: ")) {
                            events.add(new Event(Http.object(line.substring(6)), System.nanoTime()));
                        }
                    }

                    @Override
                    public void onError(Throwable throwable) {
                    }

                    @Override
                    public void onComplete() {
                    }
                }));
    }

    /**
     * Opens a stream for {@code notifications} (such as {@code {"toolsListChanged":true}}) and waits up
     * to 10 s for its acknowledgement ({@link #acknowledgement()}).
     */
    static ListenStream open(String url, String user, String password, String id, String notifications) throws InterruptedException {
        return open(url, user, password, id, notifications, "{}");
    }

    /** The same, for a client that declares those capabilities (a JSON object), such as the tasks extension. */
    static ListenStream open(String url, String user, String password, String id, String notifications, String capabilities)
            throws InterruptedException {
        ListenStream stream = new ListenStream(url, user, password, id, notifications, capabilities);
        Event ack = stream.next(Duration.ofSeconds(10));
        if (ack == null || !"notifications/subscriptions/acknowledged".equals(ack.message().getString("method", null))) {
            stream.close();
            throw new AssertionError("No acknowledgement of subscriptions/listen at " + url + " within 10 s; first event: " + ack);
        }
        stream.acknowledgement = ack;
        return stream;
    }

    /** The stream's first event, {@code notifications/subscriptions/acknowledged}. */
    Event acknowledgement() {
        return acknowledgement;
    }

    /** The next event, or null when none arrives within {@code limit}. */
    Event next(Duration limit) throws InterruptedException {
        return events.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Forgets the events that arrived so far. */
    void clear() {
        events.clear();
    }

    @Override
    public void close() {
        stream.cancel(true);
    }
}
