package io.statehouse.mcp.server.protocol.rounds;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import io.statehouse.mcp.server.protocol.rounds.InvalidRequestStateException.Reason;

/**
 * Mints and checks the {@code requestState} of a round. The client holds it and echoes it; the spec
 * tells servers to treat it as the attacker's, so it is signed (HMAC-SHA256 with a key from
 * configuration), bound to the caller's principal and to the request (method and tool), and
 * expires. Its payload is readable, not secret: it names the run and its tasks, which the caller may
 * see anyway. One use only is checked against the run's current round, which the server keeps
 * ({@code currentRound}), so that a state stays refused after a restart.
 *
 * <p>Format: {@code v1.<base64url payload>.<base64url mac>}, the payload a JSON object.
 */
public final class RequestStateCodec {

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    /** Shorter keys make a guessable MAC; 32 bytes is the hash's own size. */
    public static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param key   the secret, at least {@value #MIN_KEY_BYTES} bytes
     * @param ttl   how long a round's state may be redeemed
     * @param clock the time the expiry is measured by
     */
    public RequestStateCodec(byte[] key, Duration ttl, Clock clock) {
        Objects.requireNonNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The requestState key must have at least " + MIN_KEY_BYTES + " bytes, not " + key.length);
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("The requestState lifetime must be positive, not " + ttl);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param principal who called, as authenticated
     * @param request   what was called, e.g. {@code tools/call approve}; a retry must name the same
     */
    public String mint(RoundState state, String principal, String request) {
        JsonArrayBuilder questions = Json.createArrayBuilder();
        state.questions().forEach(q -> questions.add(Json.createObjectBuilder().add("task", q.taskId()).add("key", q.key())));
        String payload = Json.createObjectBuilder()
                .add("run", state.runId())
                .add("round", state.round())
                .add("questions", questions)
                .add("sub", principal)
                .add("req", request)
                .add("exp", clock.instant().plus(ttl).getEpochSecond())
                .build().toString();
        String signed = VERSION + "." + encode(payload.getBytes(StandardCharsets.UTF_8));
        return signed + "." + encode(mac(signed));
    }

    /**
     * Checks a state the client echoed, in this order: its form, its signature, its expiry, its
     * caller, its request, and that its round is still the run's current one.
     *
     * @param currentRound the round a run waits on now, by run id (empty for a run that waits on none)
     * @throws InvalidRequestStateException saying what is wrong with it
     */
    public RoundState verify(String token, String principal, String request, Function<String, Optional<String>> currentRound)
            throws InvalidRequestStateException {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new InvalidRequestStateException(Reason.MALFORMED, "The requestState is not one that Statehouse issued");
        }
        byte[] given;
        byte[] payloadBytes;
        try {
            given = Base64.getUrlDecoder().decode(parts[2]);
            payloadBytes = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestStateException(Reason.MALFORMED, "The requestState is not one that Statehouse issued");
        }
        if (!MessageDigest.isEqual(given, mac(parts[0] + "." + parts[1]))) {
            throw new InvalidRequestStateException(Reason.TAMPERED, "The requestState was altered; echo it exactly as the server sent it");
        }
        JsonObject payload;
        RoundState state;
        try (var reader = Json.createReader(new StringReader(new String(payloadBytes, StandardCharsets.UTF_8)))) {
            payload = reader.readObject();
            List<RoundState.Question> questions = new ArrayList<>();
            for (JsonObject q : payload.getJsonArray("questions").getValuesAs(JsonObject.class)) {
                questions.add(new RoundState.Question(q.getString("task"), q.getString("key")));
            }
            state = new RoundState(payload.getString("run"), payload.getString("round"), questions);
        } catch (JsonException | ClassCastException | NullPointerException e) {
            throw new InvalidRequestStateException(Reason.MALFORMED, "The requestState is not one that Statehouse issued");
        }
        Instant expiry = Instant.ofEpochSecond(payload.getJsonNumber("exp").longValue());
        if (!clock.instant().isBefore(expiry)) {
            throw new InvalidRequestStateException(Reason.EXPIRED, "The requestState expired at " + expiry + "; run " + state.runId()
                    + " goes on, and its questions are open in the Statehouse Tasklist");
        }
        if (!Objects.equals(principal, text(payload, "sub"))) {
            throw new InvalidRequestStateException(Reason.OTHER_PRINCIPAL, "The requestState was issued to another caller");
        }
        if (!Objects.equals(request, text(payload, "req"))) {
            throw new InvalidRequestStateException(Reason.OTHER_REQUEST,
                    "The requestState was issued for " + text(payload, "req") + ", not for " + request);
        }
        if (!currentRound.apply(state.runId()).map(state.round()::equals).orElse(false)) {
            throw new InvalidRequestStateException(Reason.ALREADY_USED, "The requestState of this round was used already (or its run has ended); "
                    + "retry with the requestState of the latest answer");
        }
        return state;
    }

    private static String text(JsonObject payload, String name) {
        return payload.get(name) instanceof JsonString s ? s.getString() : null;
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
