package io.ocular.model;

/**
 * A write failed because the disk holding Ocular's data is full or has become read-only: nothing is wrong
 * with the data, and the same write succeeds once there is space (or write access) again. The indexer pauses
 * on it instead of failing (see docs/decisions/0260-hostile-storage-kill-storms-soak.md).
 */
public class StorageException extends OcularException {
    private static final long serialVersionUID = 1L;

    /** What stands in the way. */
    public enum Problem { FULL, READ_ONLY }

    private final Problem problem;

    public StorageException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
