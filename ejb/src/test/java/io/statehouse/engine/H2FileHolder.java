package io.statehouse.engine;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * A process that holds an H2 database file open, as a first Statehouse node does: opens the URL of
 * its argument, says "open" on standard output, and closes when its standard input ends.
 */
public final class H2FileHolder {

    private H2FileHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], "sa", "sa")) {
            connection.createStatement().execute("create table if not exists held (id int)");
            System.out.println("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Until the test closes our input.
            }
        }
    }
}
