package io.statehouse.sampling;

/**
 * A sampling request a provider could not answer: refused by the provider (with its status), timed
 * out, rate-limited, over budget, or asking for what the provider cannot do (audio, say). The
 * message names the provider and never contains a secret.
 */
public class SamplingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Kind {
        UNSUPPORTED, REFUSED, RATE_LIMITED, TIMEOUT, UNREACHABLE, OVER_BUDGET
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
