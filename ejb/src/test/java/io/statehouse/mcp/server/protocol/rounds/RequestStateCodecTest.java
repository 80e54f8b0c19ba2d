package io.statehouse.mcp.server.protocol.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.statehouse.mcp.server.protocol.rounds.InvalidRequestStateException.Reason;

class RequestStateCodecTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String REQUEST = "tools/call approve";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
    private final RequestStateCodec codec = new RequestStateCodec(KEY, Duration.ofMinutes(30), clock);
    private final Map<String, String> rounds = new HashMap<>(Map.of("run-1", "round-1"));
    private final Function<String, Optional<String>> currentRound = run -> Optional.ofNullable(rounds.get(run));
    private final RoundState state = new RoundState("run-1", "round-1",
            List.of(new RoundState.Question("task-1", "Task_Decide"), new RoundState.Question("task-2", "Task_Budget")));

    @Test
    void aStateComesBackAsItWasMinted() throws Exception {
        String token = codec.mint(state, "demo", REQUEST);

        assertThat(token).startsWith("v1.");
        assertThat(codec.verify(token, "demo", REQUEST, currentRound)).isEqualTo(state);
    }

    @Test
    void anAlteredPayloadIsRefusedAsTampered() {
        String token = codec.mint(state, "demo", REQUEST);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("task-2", "task-9");
        String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertRefused(altered, "demo", REQUEST, Reason.TAMPERED);
        assertRefused(token + "-TAMPERED", "demo", REQUEST, Reason.TAMPERED);
        assertRefused(token.substring(0, token.length() - 2) + "AA", "demo", REQUEST, Reason.TAMPERED);
    }

    @Test
    void aStateSignedWithAnotherKeyIsRefusedAsTampered() {
        String foreign = new RequestStateCodec("another key, also of 32 bytes ok".getBytes(StandardCharsets.US_ASCII), Duration.ofMinutes(30), clock)
                .mint(state, "demo", REQUEST);

        assertRefused(foreign, "demo", REQUEST, Reason.TAMPERED);
    }

    @Test
    void somethingElseIsRefusedAsNotOurs() {
        assertRefused("{\"nonce\":\"x\"}", "demo", REQUEST, Reason.MALFORMED);
        assertRefused("v1.%%%.%%%", "demo", REQUEST, Reason.MALFORMED);
        assertRefused(null, "demo", REQUEST, Reason.MALFORMED);
    }

    @Test
    void aStatePastItsLifetimeIsRefusedAsExpiredAndSaysTheRunGoesOn() {
        String token = codec.mint(state, "demo", REQUEST);
        clock.now = clock.now.plus(Duration.ofMinutes(30));

        assertThatThrownBy(() -> codec.verify(token, "demo", REQUEST, currentRound))
                .isInstanceOfSatisfying(InvalidRequestStateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
                .hasMessageContaining("run run-1 goes on").hasMessageContaining("Tasklist");
    }

    @Test
    void aStateIssuedToAnotherCallerIsRefused() {
        String token = codec.mint(state, "demo", REQUEST);

        assertRefused(token, "mallory", REQUEST, Reason.OTHER_PRINCIPAL);
    }

    @Test
    void aStateIssuedForAnotherToolIsRefused() {
        String token = codec.mint(state, "demo", REQUEST);

        assertRefused(token, "demo", "tools/call delete_everything", Reason.OTHER_REQUEST);
    }

    @Test
    void aReplayedStateIsRefusedOnceItsRoundWasRedeemed() throws Exception {
        String token = codec.mint(state, "demo", REQUEST);
        codec.verify(token, "demo", REQUEST, currentRound);
        rounds.put("run-1", "round-2");

        assertRefused(token, "demo", REQUEST, Reason.ALREADY_USED);
        rounds.remove("run-1");
        assertRefused(token, "demo", REQUEST, Reason.ALREADY_USED);
    }

    @Test
    void aShortKeyIsRefusedAtOnce() {
        assertThatThrownBy(() -> new RequestStateCodec(new byte[16], Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes");
    }

    private void assertRefused(String token, String principal, String request, Reason reason) {
        assertThatThrownBy(() -> codec.verify(token, principal, request, currentRound))
                .isInstanceOfSatisfying(InvalidRequestStateException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
