package io.ocular.cli;

import io.ocular.eval.ComposedBenchmark;
import io.ocular.eval.ComposedEval;
import io.ocular.eval.FeatureCache;
import io.ocular.model.OcularException;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ComposedTriplets;
import io.ocular.search.ScanPool;
import io.ocular.search.WeightedSumComposer;
import io.ocular.search.train.CombinerTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/** {@code ocular train}: learned parts of search trained from data on this computer. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a learned part of search on this computer.",
        subcommands = {TrainCommand.Combiner.class, TrainSpqCommand.class})
final class TrainCommand implements Runnable {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing what to train; see 'ocular train --help'.");
    }

    @Command(name = "combiner", mixinStandardHelpOptions = true,
            description = {"Train CLIP4Cir's Combiner for composed queries (photo + modification text) from a CIRR- or"
                    + " FashionIQ-format dataset, on the CPU.",
                    "The Combiner is scored against the weighted sum on the validation split and installed for the"
                    + " model (so composed searches use it) only when it beats the sum at Recall@10, unless --force."})
    static final class Combiner implements Callable<Integer> {
        @ParentCommand
        TrainCommand train;
        @Spec
        CommandSpec spec;

        @Option(names = "--dataset", required = true, paramLabel = "DIR",
                description = "The benchmark folder (cirr_dataset or fashionIQ_dataset, with captions/ and image_splits/).")
        Path dataset;

        @Option(names = "--protocol", required = true, paramLabel = "NAME", description = "cirr | fashioniq")
        String protocol;

        @Option(names = "--model", paramLabel = "ID",
                description = "CLIP model from your model store (default: the active model of your data folder).")
        String model;

        @Option(names = "--split", paramLabel = "NAME", defaultValue = "train",
                description = "Split to train on (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--val-split", paramLabel = "NAME", defaultValue = "val",
                description = "Split to compare with the weighted sum on (default: ${DEFAULT-VALUE}).")
        String valSplit;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
                description = "Training epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--projection", paramLabel = "N",
                description = "Width of the Combiner's image and text projections (default: 2 x the feature dimension).")
        Integer projection;

        @Option(names = "--hidden", paramLabel = "N",
                description = "Width of its hidden layers (default: 4 x the feature dimension; smaller trains faster).")
        Integer hidden;

        @Option(names = "--text-weight", paramLabel = "W", defaultValue = "0.5",
                description = "Text weight of the weighted sum it must beat (default: ${DEFAULT-VALUE}).")
        double textWeight;

        @Option(names = "--output", paramLabel = "FILE",
                description = "Where to write the Combiner (default: the model's composer in your data folder, which"
                        + " composed searches then use).")
        Path output;

        @Option(names = "--force", description = "Install the Combiner even when it does not beat the weighted sum.")
        boolean force;

        @Option(names = "--no-cache", description = "Re-embed the dataset; read and write no feature cache.")
        boolean noCache;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (epochs < 1 || epochs > 10_000) {
                throw new OcularException("--epochs must be in 1..10000");
            }
            if (!(textWeight > 0 && textWeight < 1)) {
                throw new OcularException("--text-weight must be between 0 and 1 (exclusive), not " + textWeight);
            }
            if ((projection != null && (projection < 1 || projection > 16_384))
                    || (hidden != null && (hidden < 1 || hidden > 16_384))) {
                throw new OcularException("--projection and --hidden must be in 1..16384");
            }
            OcularCli root = train.root;
            List<ComposedBenchmark> trainSets = ComposedBenchmark.load(protocol, dataset, split);
            List<ComposedBenchmark> valSets = ComposedBenchmark.load(protocol, dataset, valSplit);
            PrintWriter err = spec.commandLine().getErr();
            FeatureCache cache = noCache ? null : new FeatureCache(EvalCommand.defaultCacheDir());
            Map<String, Object> report = new LinkedHashMap<>();
            long start = System.nanoTime();
            try (CtrlC ctrlC = new CtrlC(); ComposedRun run = new ComposedRun(root, model, cache);
                 ScanPool pool = ScanPool.perCore()) {
                String modelId = run.model().id();
                List<ComposedTriplets> parts = new ArrayList<>();
                for (ComposedBenchmark b : trainSets) {
                    parts.add(run.embed(b, err, ctrlC::interrupted).triplets());
                }
                ComposedTriplets data = concat(parts);
                err.printf("training the combiner on %d triplets of %s (%s split), %d epochs%n", data.size(), protocol,
                        split, epochs);
                err.flush();
                long t0 = System.nanoTime();
                CombinerTrainer.Config cfg = CombinerTrainer.Config.defaults(data.dimension()).withEpochs(epochs);
                cfg = cfg.withSizes(projection != null ? projection : cfg.projection(),
                        hidden != null ? hidden : cfg.hidden());
                CombinerModel trained = new CombinerTrainer().train(data, cfg, (e, n, loss) -> {
                            err.printf("epoch %d/%d: loss %.4f%n", e, n, loss);
                            err.flush();
                        }, ctrlC::interrupted);
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                double sum10 = 0;
                double comb10 = 0;
                List<Map<String, Object>> val = new ArrayList<>();
                for (ComposedBenchmark b : valSets) {
                    ComposedEval eval = run.embed(b, err, ctrlC::interrupted);
                    Map<String, Object> s = eval.score(new WeightedSumComposer(), textWeight, pool);
                    Map<String, Object> c = eval.score(new CombinerComposer(trained), textWeight, pool);
                    sum10 += (Double) s.get("recall@10") / valSets.size();
                    comb10 += (Double) c.get("recall@10") / valSets.size();
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("name", b.name());
                    r.put("sum", s);
                    r.put("combiner", c);
                    val.add(r);
                }
                boolean beats = comb10 > sum10;
                Path out = output != null ? output : CombinerComposer.fileFor(root.paths().dataDir(), modelId);
                boolean installed = beats || force;
                if (installed) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                    trained.save(out);
                }
                report.put("protocol", protocol);
                report.put("model", modelId);
                report.put("triplets", data.size());
                report.put("epochs", epochs);
                report.put("train_s", trainSeconds);
                report.put("validation", val);
                report.put("val_recall@10_sum", sum10);
                report.put("val_recall@10_combiner", comb10);
                report.put("installed", installed);
                report.put("file", installed ? out.toString() : null);
                report.put("seconds", (System.nanoTime() - start) / 1e9);
                PrintWriter o = spec.commandLine().getOut();
                if (json) {
                    Json.print(o, report);
                } else {
                    o.printf("Trained on %d triplets in %.1f s. Validation Recall@10: weighted sum %.4f, combiner %.4f.%n",
                            data.size(), trainSeconds, sum10, comb10);
                    o.println(installed ? "Installed as " + out + (beats ? "" : " (--force: it does not beat the sum)")
                            : "Not installed: it does not beat the weighted sum (use --force to install it anyway).");
                    o.flush();
                }
                return 0;
            } catch (CancellationException e) {
                err.println("Cancelled.");
                return 130;
            }
        }

        /** One training set from several (FashionIQ's categories), target ids kept apart per part. */
        static ComposedTriplets concat(List<ComposedTriplets> parts) {
            List<float[]> r = new ArrayList<>();
            List<float[]> t = new ArrayList<>();
            List<float[]> g = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            long offset = 0;
            for (ComposedTriplets p : parts) {
                long max = 0;
                for (int i = 0; i < p.size(); i++) {
                    r.add(p.references()[i]);
                    t.add(p.texts()[i]);
                    g.add(p.targets()[i]);
                    ids.add(offset + p.targetIds()[i]);
                    max = Math.max(max, p.targetIds()[i] + 1);
                }
                offset += max;
            }
            if (r.isEmpty()) {
                throw new OcularException("the training split has no usable triplets (no readable reference and target images)");
            }
            return new ComposedTriplets(r.toArray(new float[0][]), t.toArray(new float[0][]), g.toArray(new float[0][]),
                    ids.stream().mapToLong(Long::longValue).toArray());
        }
    }
}
