package io.statehouse.elicitation;

import java.util.List;
import java.util.stream.Collectors;

/** An answer that does not fit the requested schema; {@link #violations()} says which field and why. */
public class AnswerViolatesSchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<FieldViolation> violations;

    public AnswerViolatesSchemaException(List<FieldViolation> violations) {
        super("The answer does not fit the requested schema: " + violations.stream()
                .map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** What is wrong with one field, in words for the person who filled it in. */
    public record FieldViolation(String field, String message) {
    }
}
