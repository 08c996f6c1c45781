package io.ocular.engine;

import io.ocular.model.OcularException;

import java.util.Map;

/**
 * The composed search that learns from its user (issue 19, decision 0160): the compose panel's relevant /
 * not-relevant marks, the personal Combiner trained from them in the background, and which composer the active
 * model's composed searches use. Blocking: call off the UI thread. The engine's {@link PersonalComposers} is the
 * real one; {@link #unavailable()} stands in where there is no engine.
 */
public interface ComposeLearning {

    /** The composer composed searches of the active model use now. */
    enum Active { SUM, PERSONAL, IMPORTED }

    /**
     * What Settings shows.
     *
     * @param available       whether the active model can compose (it reads words)
     * @param relevantMarks   the active model's good-match marks (its training triplets)
     * @param otherMarks      its not-a-match marks
     * @param needed          good-match marks before a personal Combiner is trained
     * @param personalRecall  held-out Recall@10 of the last personal Combiner, NaN when none was trained
     * @param sumRecall       held-out Recall@10 of the weighted sum on the same triplets, NaN when none
     * @param heldOut         the number of held-out triplets of that comparison
     * @param personalWon     whether that personal Combiner beat the sum (and was switched on)
     * @param training        whether a training job runs now
     * @param epoch           its finished epochs (0 while it prepares)
     * @param epochs          its epochs
     * @param lastOutcome     what the last job did, in an English sentence (details, logs), or null
     */
    record Status(String modelId, boolean available, Active active, long relevantMarks, long otherMarks, int needed,
                  double personalRecall, double sumRecall, int heldOut, boolean personalWon, boolean training,
                  int epoch, int epochs, String lastOutcome) {
    }

    /**
     * Keeps (or with {@code relevant} null takes back) the user's verdict on a result of the composed search
     * "{@code referenceId} + {@code words}" of the active model, and starts training when enough are kept.
     *
     * @throws OcularException with a message to show when the mark cannot be kept
     */
    void mark(long referenceId, String words, double weight, long targetId, Boolean relevant);

    /** The active model's verdicts on the results of "{@code referenceId} + {@code words}", by result id. */
    Map<Long, Boolean> marks(long referenceId, String words);

    Status status();

    /**
     * Back to the weighted sum for the active model: the personal Combiner is deleted and an imported one set
     * aside; with {@code forgetMarks} the model's marks are deleted too, else they are kept and training waits for
     * half as many new ones again.
     */
    void reset(boolean forgetMarks);

    /**
     * Stops a running training job after its current batch; its last finished epoch is kept and training resumes
     * from there when Ocular next starts (or with the next marks).
     */
    void stopTraining();

    /** Where there is no engine (demos, tests): nothing is kept, the sum is in use. */
    static ComposeLearning unavailable() {
        return new ComposeLearning() {
            @Override
            public void mark(long referenceId, String words, double weight, long targetId, Boolean relevant) {
                throw new OcularException("Marks are not kept here.");
            }

            @Override
            public Map<Long, Boolean> marks(long referenceId, String words) {
                return Map.of();
            }

            @Override
            public Status status() {
                return new Status("", false, Active.SUM, 0, 0, 0, Double.NaN, Double.NaN, 0, false, false, 0, 0,
                        null);
            }

            @Override
            public void reset(boolean forgetMarks) {
            }

            @Override
            public void stopTraining() {
            }
        };
    }
}
