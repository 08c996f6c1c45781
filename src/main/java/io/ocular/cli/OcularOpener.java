package io.ocular.cli;

import io.ocular.app.AppPaths;
import io.ocular.app.Ocular;

/** Opens the engine for a data directory (the composition root in production; tests may pass their own). */
@FunctionalInterface
public interface OcularOpener {

    /**
     * @param modelId model to make active first, or null to keep the data directory's active model
     */
    Ocular open(AppPaths paths, String modelId);
}
