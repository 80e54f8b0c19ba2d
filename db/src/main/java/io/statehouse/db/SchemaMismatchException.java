package io.statehouse.db;

/** The database is not at the schema version that this build of Statehouse expects. */
public class SchemaMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SchemaMismatchException(String message) {
        super(message);
    }
}
