package io.ocular.store;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How indexing work is shared between the computers that write one library. Before embedding a batch, the
 * indexer claims its files; it embeds only the ones it got, leaves those already done by another computer, and
 * retries later the ones another computer holds (a crashed computer's claims run out after their lease, see
 * {@code PostgresClaims}). Committing a file's batch ends its claim in the same transaction, so a file is
 * stored once however many computers index its folder.
 *
 * <p>A catalog with one writer (the SQLite file, locked by one Ocular at a time) needs no claims:
 * {@link #EXCLUSIVE} gives every file to the caller.
 */
public interface WorkClaims {

    /** A file as the scan found it: path, size and modification time. */
    record FileVersion(Path path, long size, long mtimeMillis) {
    }

    /**
     * The answer to one claim.
     *
     * @param mine          claimed for this computer until the lease ends: embed and commit them
     * @param doneElsewhere already stored by another computer in this version (with a vector of the model, or
     *                      skipped): nothing to do
     * @param heldElsewhere claimed by another computer whose lease still runs: retry later
     */
    record Outcome(Set<Path> mine, Set<Path> doneElsewhere, Set<Path> heldElsewhere) {
        public Outcome {
            mine = Set.copyOf(mine);
            doneElsewhere = Set.copyOf(doneElsewhere);
            heldElsewhere = Set.copyOf(heldElsewhere);
        }
    }

    /**
     * Claims files for this computer.
     *
     * @param modelId the model whose vectors the indexer computes (a file done with another model is not done)
     */
    Outcome claim(String modelId, List<FileVersion> files);

    /** Every file is this computer's: a catalog only this process writes. */
    WorkClaims EXCLUSIVE = (modelId, files) -> {
        Set<Path> all = new LinkedHashSet<>();
        files.forEach(f -> all.add(f.path()));
        return new Outcome(all, Set.of(), Set.of());
    };
}
