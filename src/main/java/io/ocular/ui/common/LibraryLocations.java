package io.ocular.ui.common;

import io.ocular.model.OcularException;

/**
 * Where the library lives (Settings → Library location): this computer's catalog file, or a shared library on a
 * PostgreSQL server. The choice is kept in the window's preferences as a URL without any password (libpq's
 * ~/.pgpass or PGPASSWORD supply it) and used from the next start.
 */
public interface LibraryLocations {
    /** The preference holding the chosen server's URL; absent or blank: this computer. */
    String SETTING = "library.location";

    /** One line on the library in use now (e.g. "SQLite file …" or "shared library: …"). */
    String inUse();

    /**
     * Connects to the shared library at {@code url} as Ocular would open it, and closes it again; blocking.
     *
     * @return one line on what was found (server, vector mode)
     * @throws OcularException with the message to show (wrong password, no password found, missing database,
     *                         unreachable server, no pgvector is fine, newer schema, another application's database)
     */
    String test(String url);

    /** Where no engine can be asked (demos, tests): this computer, and no test possible. */
    static LibraryLocations unavailable() {
        return new LibraryLocations() {
            @Override
            public String inUse() {
                return "";
            }

            @Override
            public String test(String url) {
                throw new OcularException("Testing a connection is not available here.");
            }
        };
    }
}
