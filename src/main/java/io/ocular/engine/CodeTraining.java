package io.ocular.engine;

import io.ocular.model.OcularException;

import java.util.function.Consumer;

/**
 * Compact codes trained on the user's own photos (SPQ, issues 13 and 17; decision 0200): start and cancel the
 * background training of the active model's codes, its progress, and the self-check's verdict that decides whether
 * the live index uses them (SPQ) or keeps plain PQ. Blocking calls are short; progress arrives on the training
 * thread. The engine's {@link SpqCodes} is the real one; {@link #unavailable()} stands in where there is no engine.
 */
public interface CodeTraining {

    /** What the training does now, or how it ended. */
    enum Phase { IDLE, PREPARING, TRAINING, SELF_CHECK, DONE, CANCELLED, TOO_FEW, FAILED }

    /**
     * The self-check on held-out photos: mean reciprocal rank of another augmented view of the same photo among
     * the held-out photos' codes, by SPQ's codes and by PQ codes of the same length.
     */
    record Verdict(double spq, double pq, int heldOut, boolean spqWins) {
    }

    /**
     * @param modelId the model whose codes these are
     * @param phase   what the job does now (IDLE when none ran in this session)
     * @param done    photos prepared so far (PREPARING)
     * @param total   photos to prepare
     * @param epoch   finished epochs (TRAINING)
     * @param epochs  epochs of the job
     * @param loss    the last epoch's loss, NaN before one
     * @param verdict the last finished training's self-check, or null when there is none
     * @param inUse   whether the live index searches with SPQ codes now
     * @param message the job's own sentence (English, details, logs), or null
     */
    record Status(String modelId, Phase phase, int done, int total, int epoch, int epochs, double loss,
                  Verdict verdict, boolean inUse, String message) {
        /** Whether a job is preparing, training or checking now. */
        public boolean running() {
            return phase == Phase.PREPARING || phase == Phase.TRAINING || phase == Phase.SELF_CHECK;
        }
    }

    /**
     * Starts (or resumes after a cancel) training the active model's codes on the library's photos, in the
     * background; {@code listener} (may be null) hears every status change on the training thread.
     *
     * @throws OcularException with a message to show as is: already running, no photos, too few photos
     */
    void start(Consumer<Status> listener);

    /** Stops the job after its current batch; the next start resumes from its last finished epoch. */
    void cancel();

    Status status();

    /** Where there is no engine (demos, tests): nothing can be trained. */
    static CodeTraining unavailable() {
        return new CodeTraining() {
            @Override
            public void start(Consumer<Status> listener) {
                throw new OcularException("Training compact codes is not available here.");
            }

            @Override
            public void cancel() {
            }

            @Override
            public Status status() {
                return new Status("", Phase.IDLE, 0, 0, 0, 0, Double.NaN, null, false, null);
            }
        };
    }
}
