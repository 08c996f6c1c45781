package io.ocular.model;

/**
 * A write failed because the disk holding Ocular's data is full or has become read-only, or the library server
 * of a shared library cannot be reached or has no room: nothing is wrong with the data, and the same write
 * succeeds once there is space, write access or a connection again. The indexer pauses on it instead of failing
 * (see docs/decisions/0260-hostile-storage-kill-storms-soak.md and 0280-postgresql-catalog.md).
 */
public class StorageException extends OcularException {
    private static final long serialVersionUID = 1L;

    /** What stands in the way. */
    public enum Problem {
        /** The disk holding the data folder is full. */
        FULL,
        /** The data folder has become read-only. */
        READ_ONLY,
        /** The library server cannot be reached (down, restarting, network lost). */
        UNREACHABLE,
        /** The library server's disk is full. */
        SERVER_FULL;

        /** Whether the problem is the library server's, not this computer's disk. */
        public boolean onServer() {
            return this == UNREACHABLE || this == SERVER_FULL;
        }
    }

    private final Problem problem;

    public StorageException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
