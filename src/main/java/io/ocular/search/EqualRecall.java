package io.ocular.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Ours against the peer at equal recall, from the operating points one {@link SearchBench} run measured: for a
 * recall level, the cheapest of our points (nprobe × rerank) and the cheapest of the peer's (search beams) that
 * reach it, cheapest by CPU time per query (the figure a loaded machine does not inflate; wall time where CPU
 * time is not measured). A side with no point at the level is {@code empty}: nothing is extrapolated.
 *
 * @param level   recall@10 both points must reach
 * @param ours    our cheapest point reaching it, if any
 * @param peer    the peer's cheapest point reaching it, if any
 */
public record EqualRecall(double level, Optional<SearchBench.Result> ours, Optional<SearchBench.Result> peer) {
    /** The recall levels compared: the target and two stricter ones. */
    public static final List<Double> LEVELS = List.of(0.95, 0.97, 0.99);

    /** One comparison per {@link #LEVELS} entry (none without peer points). */
    public static List<EqualRecall> compare(List<SearchBench.Result> ours, List<SearchBench.Result> peer) {
        List<EqualRecall> out = new ArrayList<>();
        if (peer.isEmpty()) {
            return out;
        }
        for (double level : LEVELS) {
            out.add(new EqualRecall(level, cheapest(ours, level), cheapest(peer, level)));
        }
        return out;
    }

    static Optional<SearchBench.Result> cheapest(List<SearchBench.Result> points, double level) {
        return points.stream().filter(r -> r.recallAt10() >= level).min(Comparator.comparingDouble(EqualRecall::cost));
    }

    /** CPU p50 per query, or wall p50 where CPU time is not measured. */
    static double cost(SearchBench.Result r) {
        return Double.isNaN(r.cpuP50Ms()) ? r.p50Ms() : r.cpuP50Ms();
    }

    /** Peer CPU (or wall) p50 over ours at this level; NaN unless both reach it. */
    public double peerCpuRatio() {
        return ours.isPresent() && peer.isPresent() ? cost(peer.get()) / cost(ours.get()) : Double.NaN;
    }

    /** Peer wall p50 over ours at this level; NaN unless both reach it. */
    public double peerWallRatio() {
        return ours.isPresent() && peer.isPresent() ? peer.get().p50Ms() / ours.get().p50Ms() : Double.NaN;
    }

    /** One line a person can read: who is faster at this recall, by how much, or who never reached it. */
    public String verdict() {
        String lvl = String.format(Locale.ROOT, "recall@10 >= %.2f", level);
        if (ours.isEmpty() && peer.isEmpty()) {
            return "neither reached " + lvl + " at any measured point";
        }
        if (ours.isEmpty()) {
            return "ours reached " + lvl + " at no measured point (the peer did)";
        }
        if (peer.isEmpty()) {
            return "the peer reached " + lvl + " at no measured point (ours did)";
        }
        double cpu = peerCpuRatio();
        double wall = peerWallRatio();
        String who = cpu > 1 ? "ours faster" : cpu < 1 ? "peer faster" : "tie";
        return String.format(Locale.ROOT, "%s: %s, peer/ours CPU p50 %.2fx, wall p50 %.2fx", lvl, who, cpu, wall);
    }

    @Override
    public String toString() {
        return "equal recall " + verdict();
    }
}
