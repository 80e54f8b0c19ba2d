package io.statehouse.engine;

import java.util.Optional;

/**
 * Whether the embedded demo profile is on: it is when the operator says so ({@code statehouse.demo}),
 * and otherwise exactly when the database is the embedded H2, never on a production database.
 */
public final class DemoProfile {

    private DemoProfile() {
    }

    public static boolean enabled(Optional<Boolean> configured, String databaseProductName) {
        return configured.orElseGet(() -> "H2".equalsIgnoreCase(databaseProductName));
    }
}
