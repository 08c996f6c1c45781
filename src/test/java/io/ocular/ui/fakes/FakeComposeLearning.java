package io.ocular.ui.fakes;

import io.ocular.engine.ComposeLearning;
import io.ocular.model.OcularException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps marks in memory and answers the status it is given (the UI tests' {@link ComposeLearning}). */
public final class FakeComposeLearning implements ComposeLearning {
    /** One call of {@link #mark}. */
    public record Call(long referenceId, String words, double weight, long targetId, Boolean relevant) {
    }

    public final List<Call> calls = new ArrayList<>();
    public final List<Boolean> resets = new ArrayList<>();
    public volatile int stops;
    private final Map<String, Map<Long, Boolean>> marks = new HashMap<>();
    public volatile Status status = new Status("fake", true, Active.SUM, 0, 0, 100, Double.NaN, Double.NaN, 0, false,
            false, 0, 0, null);
    public volatile String failure;

    @Override
    public synchronized void mark(long referenceId, String words, double weight, long targetId, Boolean relevant) {
        if (failure != null) {
            throw new OcularException(failure);
        }
        calls.add(new Call(referenceId, words, weight, targetId, relevant));
        Map<Long, Boolean> m = marks.computeIfAbsent(referenceId + "|" + words, k -> new HashMap<>());
        if (relevant == null) {
            m.remove(targetId);
        } else {
            m.put(targetId, relevant);
        }
        long good = marks.values().stream().flatMap(x -> x.values().stream()).filter(b -> b).count();
        long bad = marks.values().stream().flatMap(x -> x.values().stream()).filter(b -> !b).count();
        Status s = status;
        status = new Status(s.modelId(), s.available(), s.active(), good, bad, s.needed(), s.personalRecall(),
                s.sumRecall(), s.heldOut(), s.personalWon(), s.training(), s.epoch(), s.epochs(), s.lastOutcome());
    }

    @Override
    public synchronized Map<Long, Boolean> marks(long referenceId, String words) {
        return Map.copyOf(marks.getOrDefault(referenceId + "|" + words, Map.of()));
    }

    @Override
    public Status status() {
        return status;
    }

    @Override
    public void stopTraining() {
        stops++;
        Status s = status;
        status = new Status(s.modelId(), s.available(), s.active(), s.relevantMarks(), s.otherMarks(), s.needed(),
                s.personalRecall(), s.sumRecall(), s.heldOut(), s.personalWon(), false, s.epoch(), s.epochs(),
                "stopped");
    }

    @Override
    public synchronized void reset(boolean forgetMarks) {
        resets.add(forgetMarks);
        if (forgetMarks) {
            marks.clear();
        }
        Status s = status;
        status = new Status(s.modelId(), s.available(), Active.SUM, forgetMarks ? 0 : s.relevantMarks(),
                forgetMarks ? 0 : s.otherMarks(), s.needed(), Double.NaN, Double.NaN, 0, false, false, 0, 0, null);
    }
}
