package io.statehouse.sampling;

/**
 * A sampling request a provider could not answer: refused by the provider (with its status), timed
 * out, rate-limited, over budget, failed on its side, or asking for what the provider cannot do
 * (audio, say). The message names the provider and never contains a secret.
 */
public class SamplingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        UNSUPPORTED, REFUSED, RATE_LIMITED, TIMEOUT, UNREACHABLE, OVER_BUDGET,
        /** The provider answered with a server error (5xx) or something that is not an answer. */
        FAILED
    }

    private final Kind kind;

    public SamplingException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
