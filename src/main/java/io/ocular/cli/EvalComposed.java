package io.ocular.cli;

import io.ocular.eval.ComposedBenchmark;
import io.ocular.eval.ComposedEval;
import io.ocular.eval.FeatureCache;
import io.ocular.model.OcularException;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ScanPool;
import io.ocular.search.WeightedSumComposer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code ocular eval --protocol cirr|fashioniq}: the weighted sum (and a trained Combiner, with --combiner) on
 * a composed-retrieval benchmark's split, with the benchmark's own metrics ({@link ComposedEval}).
 */
final class EvalComposed {
    private EvalComposed() {
    }

    record Settings(String protocol, Path dataset, String split, String model, Path combiner, double weight) {
    }

    static Map<String, Object> run(OcularCli root, Settings s, FeatureCache cache, PrintWriter err,
                                   BooleanSupplier cancelled) throws IOException {
        long start = System.nanoTime();
        if (!(s.weight() > 0 && s.weight() < 1)) {
            throw new OcularException("--text-weight must be between 0 and 1 (exclusive), not " + s.weight());
        }
        List<ComposedBenchmark> benches = ComposedBenchmark.load(s.protocol(), s.dataset(), s.split());
        CombinerComposer combiner = null;
        if (s.combiner() != null) {
            combiner = new CombinerComposer(loadCombiner(s.combiner()));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("protocol", s.protocol());
        report.put("split", s.split());
        try (ComposedRun run = new ComposedRun(root, s.model(), cache); ScanPool pool = ScanPool.perCore()) {
            report.put("model", run.model().id());
            if (combiner != null && combiner.model().dimension() != run.model().dimension()) {
                throw new OcularException("the combiner " + s.combiner() + " was trained for "
                        + combiner.model().dimension() + "-d vectors but " + run.model().id() + " makes "
                        + run.model().dimension() + "-d ones");
            }
            List<Map<String, Object>> results = new ArrayList<>();
            for (ComposedBenchmark b : benches) {
                ComposedEval eval = run.embed(b, err, cancelled);
                if (eval.triplets().size() == 0) {
                    throw new OcularException(b.name() + " has no triplets with a target to score (CIRR's test split"
                            + " is scored by the CIRR evaluation server; use --split val)");
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("name", b.name());
                r.put("sum", eval.score(new WeightedSumComposer(), s.weight(), pool));
                if (combiner != null) {
                    r.put("combiner", eval.score(combiner, s.weight(), pool));
                }
                results.add(r);
            }
            report.put("text_weight", s.weight());
            report.put("results", results);
            if (results.size() > 1) {
                report.put("mean_sum", mean(results, "sum"));
                if (combiner != null) {
                    report.put("mean_combiner", mean(results, "combiner"));
                }
            }
        }
        report.put("seconds", (System.nanoTime() - start) / 1e9);
        return report;
    }

    static CombinerModel loadCombiner(Path file) {
        try {
            return CombinerModel.load(file);
        } catch (IOException e) {
            throw new OcularException("cannot use the combiner " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mean(List<Map<String, Object>> results, String which) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k : ComposedEval.KS) {
            double sum = 0;
            for (Map<String, Object> r : results) {
                sum += (Double) ((Map<String, Object>) r.get(which)).get("recall@" + k);
            }
            out.put("recall@" + k, sum / results.size());
        }
        return out;
    }

    /** Plain-text form: one line per benchmark and composer. */
    @SuppressWarnings("unchecked")
    static void printText(PrintWriter out, Map<String, Object> report) {
        out.printf("%s (%s split), model %s, text weight of the sum %.2f%n", report.get("protocol"), report.get("split"),
                report.get("model"), (Double) report.get("text_weight"));
        for (Map<String, Object> r : (List<Map<String, Object>>) report.get("results")) {
            for (String which : List.of("sum", "combiner")) {
                Map<String, Object> m = (Map<String, Object>) r.get(which);
                if (m == null) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format("  %-28s %-9s", r.get("name"), which));
                m.forEach((k, v) -> line.append(v instanceof Double d ? String.format("  %s %.4f", k, d)
                        : String.format("  %s %s", k, v)));
                out.println(line);
            }
        }
        for (String which : List.of("mean_sum", "mean_combiner")) {
            Object m = report.get(which);
            if (m != null) {
                out.println("  " + which + " " + m);
            }
        }
        out.printf("  %.1f s%n", (Double) report.get("seconds"));
    }
}
