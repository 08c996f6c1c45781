package io.ocular.cli;

import io.ocular.engine.CodeTraining;
import io.ocular.engine.Engine;
import io.ocular.engine.SpqCodes;
import io.ocular.model.OcularException;
import io.ocular.model.ImageStatus;
import io.ocular.search.IndexPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ocular train spq}: the active model's compact codes trained on the library's own photos (0200). */
@Command(name = "spq", mixinStandardHelpOptions = true,
        description = {"Train compact codes (SPQ, self-supervised product quantisation) on the photos of your library,"
                + " for the active model, on the CPU.",
                "Augmented views of each photo go through the active model; SPQ learns codes that keep two views of a"
                        + " photo together, without labels. This trains the vector head (it learns from the model's"
                        + " pooled vectors); the map head needs the model's spatial feature maps, which the library"
                        + " does not store, so it is only offered by 'ocular eval --index spq --spq-head map'.",
                "A tenth of the photos (at least 40) is held out; afterwards SPQ and the PQ codes search would"
                        + " otherwise use (64 bytes a photo for 1280-d vectors; never shorter than SPQ's) are compared on"
                        + " them (finding another view of the same photo). Searches use the SPQ codes"
                        + " only when SPQ wins, and only where compact codes are used at all (a library past the size"
                        + " threshold, or the index set to compact in Settings); otherwise PQ as before.",
                "Ctrl-C stops after the current batch; the next run resumes from the last finished epoch."})
final class TrainSpqCommand implements Callable<Integer> {
    @ParentCommand
    TrainCommand train;
    @Spec
    CommandSpec spec;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
            description = "Code length in bits per photo (default: ${DEFAULT-VALUE}: 8 bytes).")
    int bits;

    @Option(names = "--codewords", paramLabel = "K", defaultValue = "256",
            description = "Codewords per subspace, a power of two from 2 to 256 (default: ${DEFAULT-VALUE}; fewer"
                    + " train on smaller libraries: at least max(2 x batch, 4 x K) photos besides the held-out ones).")
    int codewords;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "256",
            description = "Photos per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--max-photos", paramLabel = "N", defaultValue = "10000",
            description = "Train on at most N photos, a fixed sample of a larger library (default: ${DEFAULT-VALUE}).")
    int maxPhotos;

    @Option(names = "--json", description = "Print one JSON object at the end.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SpqCodes.Options options = new SpqCodes.Options(bits, codewords, batch, epochs, 2, maxPhotos);
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try (CtrlC ctrlC = new CtrlC(); Engine ocular = train.root.open(null)) {
            if (ocular.catalog().folders().isEmpty() && ocular.catalog().countImages(ImageStatus.INDEXED) == 0) {
                throw new OcularException("There is no library here yet (" + ocular.paths().dataDir() + "): add a"
                        + " folder with 'ocular index DIR' first, then train its codes.");
            }
            SpqCodes codes = ocular.spqCodes().orElseThrow(() ->
                    new OcularException("Training compact codes is not available for this library."));
            ctrlC.onInterrupt(codes::cancel);
            long t0 = System.nanoTime();
            int[] lastShown = {-1};
            codes.start(options, s -> progress(err, s, lastShown));
            codes.await();
            CodeTraining.Status end = codes.status();
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the engine's index switched (or not) when the job ended; report what searches use now
            String index = ocular.indexKind();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("model", end.modelId());
                o.put("state", end.phase().name().toLowerCase(Locale.ROOT));
                o.put("epochs", end.epochs());
                o.put("bits", bits);
                o.put("seconds", seconds);
                CodeTraining.Verdict v = end.verdict();
                if (v != null) {
                    Map<String, Object> check = new LinkedHashMap<>();
                    check.put("held_out", v.heldOut());
                    check.put("spq_mrr", v.spq());
                    check.put("pq_mrr", v.pq());
                    check.put("pq_bits", pqBits(ocular));
                    check.put("spq_wins", v.spqWins());
                    o.put("self_check", check);
                }
                o.put("search_uses_spq", v != null && v.spqWins());
                o.put("index", index);
                o.put("index_detail", ocular.indexDescription());
                o.put("message", end.message());
                Json.print(out, o);
            } else {
                report(out, end, seconds, pqBits(ocular), ocular.indexDescription());
            }
            return switch (end.phase()) {
                case DONE -> 0;
                case CANCELLED -> 130;
                default -> 1;
            };
        }
    }

    private static void progress(PrintWriter err, CodeTraining.Status s, int[] lastShown) {
        switch (s.phase()) {
            case PREPARING -> {
                int step = Math.max(1, s.total() / 10);
                if (s.done() == 0 || s.done() == s.total() || s.done() / step != lastShown[0]) {
                    lastShown[0] = s.done() / step;
                    err.printf(Locale.ROOT, "views: %d/%d photos%n", s.done(), s.total());
                }
            }
            case TRAINING -> err.printf(Locale.ROOT, "epoch %d/%d: loss %.4f%n", s.epoch(), s.epochs(), s.loss());
            case SELF_CHECK -> err.println(s.message());
            default -> {
                return;
            }
        }
        err.flush();
    }

    /** The length of the PQ codes the self-check compared with (as {@code SpqCodes} chooses it). */
    private int pqBits(Engine ocular) {
        return Math.max(bits, IndexPolicy.bits(ocular.activeModel().dimension()));
    }

    private static void report(PrintWriter out, CodeTraining.Status end, double seconds, int pqBits, String detail) {
        switch (end.phase()) {
            case DONE -> out.printf(Locale.ROOT, "Trained %s's compact codes in %.1f s.%n", end.modelId(), seconds);
            case CANCELLED -> out.println("Cancelled: the next 'ocular train spq' resumes from the last finished epoch.");
            case TOO_FEW -> out.println("Not trained: " + end.message());
            default -> out.println("Training failed: " + end.message());
        }
        CodeTraining.Verdict v = end.verdict();
        if (end.phase() == CodeTraining.Phase.DONE && v == null) {
            out.println("Self-check: too few photos to hold some out; search keeps PQ codes.");
        } else if (v != null) {
            out.printf(Locale.ROOT, "Self-check on %d held-out photos (finding another view of the same photo, mean"
                    + " reciprocal rank): SPQ %.3f, PQ %.3f (%+.3f; PQ with the %d-bit codes search would otherwise"
                    + " use).%n", v.heldOut(), v.spq(), v.pq(), v.spq() - v.pq(), pqBits);
            out.println(v.spqWins() ? "SPQ wins: searches use these codes whenever compact codes are used."
                    : "SPQ does not beat PQ by enough: searches keep PQ codes.");
        }
        out.println("Search now: " + detail);
        out.flush();
    }
}
