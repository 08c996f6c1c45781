package io.ocular.cli;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;

/** Opens the engine for a data directory (the composition root in production; tests may pass their own). */
@FunctionalInterface
public interface OcularOpener {

    /**
     * @param modelId model to make active first, or null to keep the data directory's active model
     */
    Engine open(AppPaths paths, String modelId);
}
