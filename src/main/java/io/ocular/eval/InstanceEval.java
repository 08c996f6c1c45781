package io.ocular.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ocular.embed.DenseFeatureExtractor;
import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.ScoredId;
import io.ocular.search.local.AttentionKeypointSelector;
import io.ocular.search.local.AttentionMlp;
import io.ocular.search.local.AttentionTrainer;
import io.ocular.search.local.InMemoryLocalFeatureStore;
import io.ocular.search.local.KeypointSelector;
import io.ocular.search.local.LocalFeatureCompressor;
import io.ocular.search.local.LocalFeatureModel;
import io.ocular.search.local.LocalFeatures;
import io.ocular.search.local.LocalVerifier;
import io.ocular.search.local.ReciprocalNeighbours;
import io.ocular.search.local.MatchConfidence;
import io.ocular.search.local.NormKeypointSelector;
import io.ocular.search.local.Pca;
import io.ocular.search.local.VerificationResult;
import io.ocular.search.local.VerifiedCandidate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Instance-level evaluation of local-feature re-ranking, on a set generated from Corel-1k at run time:
 * {@code sources} photos each get two edited copies in the index (crop + heavy JPEG; downscale + colour change)
 * and one differently edited query (rotation + occlusion + crop/scale/colour); {@code clutter} other photos are
 * indexed unedited (same classes, so semantically close negatives); {@code distractors} photos left out of the
 * index are queries that should get "no confident match"; {@code train} more photos (never queried or indexed)
 * train the PCA and the attention (folder labels). First pass: exact cosine over the pooled MobileNetV2
 * global descriptor of the same forward pass; re-ranking: top K by verified inliers. Also UKBench-56 N-S.
 * Nothing generated is written to disk except the optional JSON report.
 */
public final class InstanceEval {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceEval.class);
    /** The inliers-only rule reported beside the app's confidence (0070's old threshold). */
    static final int INLIER_RULE = 20;

    public record Config(int sources, int clutter, int distractors, int train, int maxFeatures, int k, long seed,
                         LocalVerifier.Config verifier) {
        public static Config defaults() {
            return new Config(120, 150, 100, 60, 300, 100, 11L, LocalVerifier.Config.defaults());
        }
    }

    private record Item(long id, float[] global, Map<String, LocalFeatures> local) {
    }

    private final DenseFeatureExtractor extractor;
    private final Config config;

    public InstanceEval(DenseFeatureExtractor extractor, Config config) {
        this.extractor = extractor;
        this.config = config;
    }

    /** Runs the evaluation; {@code ukbench} may be null. Returns the JSON-ready report. */
    public Map<String, Object> run(Path corel, Path ukbench) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(corel.resolve("images"))) {
            all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
        }
        Collections.shuffle(all, new Random(config.seed()));
        int need = config.sources() + config.clutter() + config.distractors() + config.train();
        if (all.size() < need) {
            throw new IllegalArgumentException("corel1k has " + all.size() + " images, the split needs " + need);
        }
        List<Path> sources = all.subList(0, config.sources());
        List<Path> clutter = all.subList(config.sources(), config.sources() + config.clutter());
        List<Path> distractors = all.subList(config.sources() + config.clutter(),
                config.sources() + config.clutter() + config.distractors());
        List<Path> train = all.subList(need - config.train(), need);

        // 1. train PCA + attention on the training photos (sampled dense features, folder labels)
        long t0 = System.nanoTime();
        List<String> classes = all.stream().map(p -> p.getParent().getFileName().toString()).distinct().sorted().toList();
        Random r = new Random(config.seed() + 1);
        List<AttentionTrainer.Example> examples = new ArrayList<>();
        float[] pcaSample = new float[config.train() * 200 * extractor.dimension()];
        int pcaRows = 0;
        int dim = extractor.dimension();
        for (Path p : train) {
            DenseLocalFeatures d = extractor.extract(read(p));
            int n = d.count();
            int take = Math.min(n, 300);
            float[] ex = new float[take * dim];
            for (int i = 0; i < take; i++) {
                int j = r.nextInt(n);
                System.arraycopy(d.descriptors(), j * dim, ex, i * dim, dim);
                if (i < 200) {
                    System.arraycopy(d.descriptors(), j * dim, pcaSample, pcaRows * dim, dim);
                    normaliseRow(pcaSample, pcaRows * dim, dim);
                    pcaRows++;
                }
            }
            examples.add(new AttentionTrainer.Example(ex, take, classes.indexOf(p.getParent().getFileName().toString())));
        }
        Pca pca = Pca.fit(pcaSample, pcaRows, dim, 40);
        AttentionMlp attention = new AttentionTrainer(AttentionTrainer.Config.defaults()).train(examples, dim, classes.size());
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("trained PCA and attention on {} photos in {} s", train.size(), trainSeconds);

        Map<String, LocalFeatureCompressor> compressors = new LinkedHashMap<>();
        for (KeypointSelector sel : List.of(new NormKeypointSelector(), new AttentionKeypointSelector(attention))) {
            compressors.put(sel.name(), new LocalFeatureCompressor(sel, pca, config.maxFeatures(),
                    LocalFeatureModel.DEFAULT_NMS_RADIUS));
        }

        // 2. index: two edited copies per source + clutter
        Map<String, InMemoryLocalFeatureStore> stores = new LinkedHashMap<>();
        Map<String, LocalVerifier> verifiers = new LinkedHashMap<>();
        for (var e : compressors.entrySet()) {
            InMemoryLocalFeatureStore st = new InMemoryLocalFeatureStore();
            stores.put(e.getKey(), st);
            verifiers.put(e.getKey(), new LocalVerifier(extractor, e.getValue(), st, config.verifier()));
        }
        List<Item> index = new ArrayList<>();
        Map<Integer, Set<Long>> relevant = new HashMap<>();
        long nextId = 1;
        long tIndex = System.nanoTime();
        for (int s = 0; s < sources.size(); s++) {
            BufferedImage src = read(sources.get(s));
            Random tr = new Random(config.seed() * 1000 + s);
            Set<Long> rel = new HashSet<>();
            for (BufferedImage copy : List.of(InstanceTransforms.indexA(src, tr), InstanceTransforms.indexB(src, tr))) {
                long id = nextId++;
                index.add(describe(id, copy, compressors));
                rel.add(id);
            }
            relevant.put(s, rel);
        }
        for (Path p : clutter) {
            index.add(describe(nextId++, read(p), compressors));
        }
        for (Item it : index) {
            for (var e : verifiers.entrySet()) {
                e.getValue().index(it.id(), it.local().get(e.getKey()));
            }
        }
        double indexMsPerImage = (System.nanoTime() - tIndex) / 1e6 / index.size();
        LOG.info("indexed {} images ({} ms/image incl. edits)", index.size(), indexMsPerImage);

        // 3. queries
        List<Item> queries = new ArrayList<>();
        for (int s = 0; s < sources.size(); s++) {
            BufferedImage src = read(sources.get(s));
            Random tr = new Random(config.seed() * 7777 + s);
            queries.add(describe(s, InstanceTransforms.query(src, tr, s), compressors));
        }
        List<Item> distractorQueries = new ArrayList<>();
        for (Path p : distractors) {
            distractorQueries.add(describe(-1, read(p), compressors));
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", Map.of("sources", sources.size(), "index", index.size(), "queries", queries.size(),
                "distractor_queries", distractorQueries.size(), "train", train.size(), "k", config.k()));
        double globalMap = 0;
        List<List<ScoredId>> firstPass = new ArrayList<>();
        for (int q = 0; q < queries.size(); q++) {
            List<ScoredId> top = exactTopK(queries.get(q).global(), index, config.k());
            firstPass.add(top);
            globalMap += averagePrecision(top.stream().map(ScoredId::id).toList(), relevant.get(q));
        }
        globalMap /= queries.size();
        report.put("mAP_global", globalMap);

        Map<String, Object> perSelector = new LinkedHashMap<>();
        for (var e : verifiers.entrySet()) {
            String name = e.getKey();
            LocalVerifier v = e.getValue();
            double map = 0;
            long nanos = 0;
            int[] genuineBest = new int[queries.size()];
            double[] genuineEvidence = new double[queries.size()];
            Arrays.fill(genuineEvidence, Double.NEGATIVE_INFINITY);
            for (int q = 0; q < queries.size(); q++) {
                LocalFeatures qf = queries.get(q).local().get(name);
                long a = System.nanoTime();
                ReciprocalNeighbours rn = reciprocal(index);
                VerificationResult res = v.verify(firstPass.get(q), i -> qf, rn);
                nanos += System.nanoTime() - a;
                map += averagePrecision(res.ranked().stream().map(VerifiedCandidate::id).toList(), relevant.get(q));
                for (VerifiedCandidate c : res.ranked()) {
                    if (relevant.get(q).contains(c.id())) {
                        genuineBest[q] = Math.max(genuineBest[q], c.inliers());
                        if (!c.fallback()) {
                            int rank = v.config().needsRank(c.inliers()) ? rn.rank(c.id(), c.globalScore()) : 1;
                            genuineEvidence[q] = Math.max(genuineEvidence[q], v.config()
                                    .confidenceEvidence(c.inliers(), c.globalScore(), res.reference(), rank));
                        }
                    }
                }
            }
            int[] distractorBest = new int[distractorQueries.size()];
            double[] distractorEvidence = new double[distractorQueries.size()];
            for (int q = 0; q < distractorQueries.size(); q++) {
                List<ScoredId> top = exactTopK(distractorQueries.get(q).global(), index, config.k());
                long a = System.nanoTime();
                LocalFeatures df = distractorQueries.get(q).local().get(name);
                VerificationResult dr = v.verify(top, i -> df, reciprocal(index));
                distractorBest[q] = dr.bestInliers();
                distractorEvidence[q] = dr.evidence();
                nanos += System.nanoTime() - a;
            }
            map /= queries.size();
            int threshold = InstanceEval.INLIER_RULE;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mAP", map);
            m.put("mAP_gain_points", 100 * (map - globalMap));
            m.put("ms_per_query", nanos / 1e6 / (queries.size() + distractorQueries.size()));
            MatchConfidence conf = v.config().confidence();
            m.put("confidence_margin_weight", conf.marginWeight());
            m.put("confidence_threshold", conf.threshold());
            m.put("distractor_rejection", fractionBelow(distractorEvidence, conf));
            m.put("true_match_loss", fractionBelow(genuineEvidence, conf));
            // the inlier rule at the app's inliers-alone threshold, and its sweep (below)
            m.put("threshold_inliers", threshold);
            m.put("distractor_rejection_inliers_only", fractionBelow(distractorBest, threshold));
            m.put("true_match_loss_inliers_only", fractionBelow(genuineBest, threshold));
            List<Map<String, Object>> sweep = new ArrayList<>();
            for (int t = 4; t <= 40; t += 2) {
                sweep.add(Map.of("threshold", t, "distractor_rejection", fractionBelow(distractorBest, t),
                        "true_match_loss", fractionBelow(genuineBest, t)));
            }
            m.put("threshold_sweep", sweep);
            long blobs = stores.get(name).bytes();
            m.put("extra_bytes_per_image", blobs / (double) index.size());
            perSelector.put(name, m);
        }
        report.put("rerank", perSelector);
        // top-level keys for learned attention, the better selector in our runs (decision record 0070)
        @SuppressWarnings("unchecked")
        Map<String, Object> def = (Map<String, Object>) perSelector.get("attention");
        report.put("mAP", Map.of("before", globalMap, "after", def.get("mAP")));
        report.put("ms_per_query", def.get("ms_per_query"));
        report.put("distractor_rejection", def.get("distractor_rejection"));
        report.put("true_match_loss", def.get("true_match_loss"));
        report.put("extra_bytes_per_image", def.get("extra_bytes_per_image"));
        report.put("index_ms_per_image", indexMsPerImage);
        report.put("train_seconds", trainSeconds);
        if (ukbench != null) {
            report.put("ukbench56", ukbench(ukbench, compressors));
        }
        return report;
    }

    private Map<String, Object> ukbench(Path dir, Map<String, LocalFeatureCompressor> compressors) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("images"))) {
            files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            items.add(describe(i, read(files.get(i)), compressors));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        double before = 0;
        Map<String, Double> after = new LinkedHashMap<>();
        ReciprocalNeighbours.Library library = library(items);
        for (var e : compressors.entrySet()) {
            InMemoryLocalFeatureStore st = new InMemoryLocalFeatureStore();
            LocalVerifier v = new LocalVerifier(extractor, e.getValue(), st, config.verifier());
            for (Item it : items) {
                v.index(it.id(), it.local().get(e.getKey()));
            }
            double ns = 0;
            for (Item q : items) {
                List<ScoredId> top = exactTopK(q.global(), items, items.size());
                if (e.getKey().equals("norm")) {
                    before += sameGroupInTop4(q.id(), top.stream().map(ScoredId::id).toList());
                }
                LocalFeatures qf = q.local().get(e.getKey());
                VerificationResult res = v.verify(top, i -> qf, library.forLibraryPhoto(q.id()));
                ns += sameGroupInTop4(q.id(), res.ranked().stream().map(VerifiedCandidate::id).toList());
            }
            after.put(e.getKey(), ns / items.size());
        }
        out.put("ns_before", before / items.size());
        out.put("ns_after", after);
        return out;
    }

    private static int sameGroupInTop4(long q, List<Long> ranked) {
        int c = 0;
        for (int i = 0; i < Math.min(4, ranked.size()); i++) {
            if (ranked.get(i) / 4 == q / 4) {
                c++;
            }
        }
        return c;
    }

    private Item describe(long id, BufferedImage img, Map<String, LocalFeatureCompressor> compressors) {
        DenseLocalFeatures d = extractor.extract(img);
        Map<String, LocalFeatures> local = new LinkedHashMap<>();
        for (var e : compressors.entrySet()) {
            local.put(e.getKey(), e.getValue().compress(d));
        }
        return new Item(id, d.global(), local);
    }

    /**
     * The app's reciprocal rank ({@link ReciprocalNeighbours}) over this protocol's library: its queries (edited
     * copies, distractors) are not in the library, so they are ranked as examples from outside it.
     */
    private static ReciprocalNeighbours reciprocal(List<Item> library) {
        return library(library).forOutsideExample();
    }

    /** The library of {@link ReciprocalNeighbours}: the items' global vectors, searched exactly. */
    private static ReciprocalNeighbours.Library library(List<Item> items) {
        Map<Long, float[]> byId = new HashMap<>();
        for (Item it : items) {
            byId.put(it.id(), it.global());
        }
        return new ReciprocalNeighbours.Library(byId::get, (v, k) -> exactTopK(v, items, k));
    }

    /** Exact cosine top-k over the global descriptors (the first pass). */
    static List<ScoredId> exactTopK(float[] q, List<Item> items, int k) {
        List<ScoredId> all = new ArrayList<>(items.size());
        for (Item it : items) {
            float s = 0;
            for (int i = 0; i < q.length; i++) {
                s += q[i] * it.global()[i];
            }
            all.add(new ScoredId(it.id(), s));
        }
        all.sort((a, b) -> Float.compare(b.score(), a.score()));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** AP of a ranked list against the relevant set (relevant items missing from the list count as misses). */
    static double averagePrecision(List<Long> ranked, Set<Long> relevant) {
        double hits = 0;
        double sum = 0;
        for (int i = 0; i < ranked.size(); i++) {
            if (relevant.contains(ranked.get(i))) {
                hits++;
                sum += hits / (i + 1);
            }
        }
        return relevant.isEmpty() ? 0 : sum / relevant.size();
    }

    private static double fractionBelow(double[] evidence, MatchConfidence conf) {
        int below = 0;
        for (double e : evidence) {
            below += conf.confident(e) ? 0 : 1;
        }
        return evidence.length == 0 ? 0 : below / (double) evidence.length;
    }

    private static double fractionBelow(int[] values, int threshold) {
        int c = 0;
        for (int v : values) {
            if (v < threshold) {
                c++;
            }
        }
        return values.length == 0 ? 0 : c / (double) values.length;
    }

    private static void normaliseRow(float[] a, int off, int len) {
        double sq = 0;
        for (int i = 0; i < len; i++) {
            sq += a[off + i] * a[off + i];
        }
        float inv = sq > 0 ? (float) (1 / Math.sqrt(sq)) : 0;
        for (int i = 0; i < len; i++) {
            a[off + i] *= inv;
        }
    }

    private static BufferedImage read(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) {
            throw new IOException("not an image: " + p);
        }
        return InstanceTransforms.copy(img);
    }

    /** Writes the report as pretty JSON. */
    public static String toJson(Map<String, Object> report) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
    }
}
