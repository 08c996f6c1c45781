package io.ocular.ui.common;

import io.ocular.model.OcularException;
import io.ocular.search.IndexChoice;

/**
 * The index searches use, as Settings shows and changes it (automatic / exact / compact). Blocking: call off the
 * UI thread. The app backs it with the engine; tests with a fake.
 */
public interface IndexSettings {

    /** The user's choice. */
    IndexChoice choice();

    /**
     * Makes searches use {@code choice} from now on (kept between runs).
     *
     * @throws OcularException with a message to show as is
     */
    void choose(IndexChoice choice);

    /** What searches use now, in a line: {@code "exact"}, {@code "ivfpq (64 B/photo, ...)"} or {@code "spq (...)"}. */
    String inUse();

    /** {@link #inUse()} in the window's words (status line, Settings); the details stay in a tooltip. */
    static String shortName(String inUse, Messages msg) {
        if (inUse != null && inUse.startsWith("server")) {
            return msg.get("search.index.server");
        }
        if (inUse != null && inUse.startsWith("spq")) {
            return msg.get("search.index.spq");
        }
        if (inUse != null && inUse.startsWith("ivfpq")) {
            return msg.get("search.index.compact");
        }
        return msg.get(inUse != null && inUse.contains("being prepared") ? "search.index.preparing"
                : "search.index.exact");
    }

    /** Where there is no engine to ask (demos, tests): automatic, exact in use, and no change possible. */
    static IndexSettings unavailable() {
        return new IndexSettings() {
            @Override
            public IndexChoice choice() {
                return IndexChoice.AUTO;
            }

            @Override
            public void choose(IndexChoice choice) {
                throw new OcularException("Choosing the index is not available here.");
            }

            @Override
            public String inUse() {
                return "exact";
            }
        };
    }
}
