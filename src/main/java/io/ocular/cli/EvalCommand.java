package io.ocular.cli;
// Longer than 600 lines: the options of every eval protocol, each with its --help text, live on this one
// picocli command (a mixin per protocol would scatter one command's help); the runs themselves are in eval/,
// EvalSpq and EvalComposed.

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.embed.ImageEncoder;
import io.ocular.embed.LocalFeatureExtractor;
import io.ocular.embed.ModelStore;
import io.ocular.eval.ComposedBenchmark;
import io.ocular.eval.DenseFeatureCache;
import io.ocular.eval.EvalPipeline;
import io.ocular.eval.EvalReport;
import io.ocular.eval.FeatureCache;
import io.ocular.eval.GroundTruth;
import io.ocular.eval.InstanceEval;
import io.ocular.eval.LocalRerankStage;
import io.ocular.eval.Protocols;
import io.ocular.index.ImageDecoder;
import io.ocular.model.ImageRecord;
import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;
import io.ocular.search.IndexFactory;
import io.ocular.search.DatabaseAugmentation;
import io.ocular.search.QueryExpansion;
import io.ocular.search.Reranker;
import io.ocular.search.ScanPool;
import io.ocular.search.SpqModel;
import io.ocular.search.train.SpqTrainer;
import io.ocular.search.VectorIndex;
import io.ocular.search.local.InstanceSearch;
import io.ocular.search.local.LocalFeatureModel;
import io.ocular.search.local.LocalVerifier;
import io.ocular.search.local.MatchConfidence;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Measure retrieval quality on a labelled dataset.",
                "The dataset is indexed into a throwaway data folder with a model from your model store."})
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    OcularCli root;
    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "The dataset folder.")
    Path dataset;

    @Option(names = "--protocol", required = true, paramLabel = "NAME",
            description = "holidays | ukbench | classes | cifar | events | instance | cirr | fashioniq. events: an album"
                    + " collection (groundtruth.tsv: image, group, album; relevant = same event type, other album)."
                    + " instance: a generated"
                    + " instance-retrieval set from a Corel-style dataset (edited copies, same-class clutter, distractor"
                    + " queries): global vs local re-ranking with the MobileNetV2 feature model, distractor rejection,"
                    + " true-match loss. cirr, fashioniq: composed retrieval (reference photo + modification text) on"
                    + " the benchmark's own folder and JSON (DIR = cirr_dataset or fashionIQ_dataset), Recall@1/5/10/50"
                    + " (and CIRR's Recall_subset@1/2/3) of the weighted sum and, with --combiner, of a trained Combiner;"
                    + " needs a CLIP model with a text tower.")
    String protocol;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "val",
            description = "With cirr/fashioniq: the split to score (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--combiner", paramLabel = "FILE",
            description = "With cirr/fashioniq: also score this trained Combiner (from 'ocular train combiner').")
    Path combiner;

    @Option(names = "--text-weight", paramLabel = "W", defaultValue = "0.5",
            description = "With cirr/fashioniq: text weight of the weighted sum, 0..1 (default: ${DEFAULT-VALUE}).")
    double textWeight;

    @Option(names = "--model", paramLabel = "ID",
            description = "Model from your model store (default: the active model of your data folder, else the built-in one)."
                    + " Import it first with 'ocular models import'.")
    String model;

    @Option(names = "--index", paramLabel = "KIND", defaultValue = "exact",
            description = {"exact | pq | opq | spq (default: ${DEFAULT-VALUE}).",
                    "spq is trained on the protocol's database photos, without labels."})
    String index;

    @Option(names = "--bits", paramLabel = "N", defaultValue = "64",
            description = "Code length of compressed indexes: 16, 32, 64, ... (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--rerank-exact",
            description = "Compressed indexes re-rank their best candidates with the full vectors"
                    + " (default: rank by the codes alone, which is what measures the codes).")
    boolean rerankExact;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30",
            description = "SPQ training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--views", paramLabel = "N", defaultValue = "2",
            description = "Augmented views per photo for SPQ training (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--cycle-weight", paramLabel = "LAMBDA", defaultValue = "0",
            description = "Weight of SPQ's cycle-consistency term, folders (albums) acting as videos"
                    + " (default: ${DEFAULT-VALUE} = off).")
    float cycleWeight;

    @Option(names = "--cycle-close", paramLabel = "K", defaultValue = "3",
            description = "With --cycle-weight: photo i's nearest neighbour j in another album is a positive when j's"
                    + " nearest neighbour back in i's album is i or one of i's K nearest album-mates"
                    + " (default: ${DEFAULT-VALUE}); -1: the looser rule (j's nearest outside its folder is anywhere"
                    + " in i's folder).")
    int cycleClose;

    @Option(names = "--codewords", paramLabel = "K", defaultValue = "256",
            description = "SPQ codewords per subspace, a power of two (default: ${DEFAULT-VALUE});"
                    + " subspaces = bits / log2(K).")
    int codewords;

    @Option(names = "--spq-batch", paramLabel = "N", defaultValue = "256",
            description = "SPQ training batch size (default: ${DEFAULT-VALUE}).")
    int spqBatch;

    @Option(names = "--spq-head", paramLabel = "KIND", defaultValue = "vector",
            description = {"vector | map (default: ${DEFAULT-VALUE}). vector: SPQ's head reads the encoder's pooled"
                    + " vector; map: it reads MobileNetV2's spatial feature map (--spq-map-size) and learns its own"
                    + " pooling (cell attention + GeM exponent) with the codebooks. map needs the MobileNetV2 feature"
                    + " model imported, --rotations off, and no --dba / --rerank local."})
    String spqHead;

    @Option(names = "--spq-map-size", paramLabel = "PX", defaultValue = "160",
            description = "With --spq-head map: square input side of the feature maps, a multiple of 32"
                    + " (default: ${DEFAULT-VALUE} = 5 x 5 cells).")
    int spqMapSize;

    @Option(names = "--spq-map-codes", paramLabel = "KIND", defaultValue = "spq",
            description = "With --spq-head map: what codes the learned pooled vectors: spq (the codebooks trained with"
                    + " the pooling, default) | pq | opq (plain PQ/OPQ of --bits trained on the pooled vectors) |"
                    + " exact (the pooled vectors uncompressed). pq and exact separate the learned pooling's gain"
                    + " from the learned codes' gain.")
    String spqMapCodes;

    @Option(names = "--spq-start", paramLabel = "random|pq", defaultValue = "random",
            description = "With --spq-head vector: how SPQ's head and codebooks start (default: ${DEFAULT-VALUE})."
                    + " random: a random head, codewords at random photos. pq: the identity head on the centred"
                    + " feature and k-means codebooks of its chunks, i.e. training starts from PQ and moves away only"
                    + " where the loss says so (needs only as many photos as --codewords).")
    String spqStart;

    @Option(names = "--spq-lr", paramLabel = "LR", defaultValue = "0.001",
            description = "SPQ's learning rate (Adam) (default: ${DEFAULT-VALUE}); 0 with --spq-start pq measures the"
                    + " start itself.")
    float spqLr;

    @Option(names = "--self-check",
            description = "With --spq-head vector: hold out the app's share of the photos from SPQ training and run"
                    + " the app's self-check on them (SPQ vs PQ of the same length, and vs the app's PQ), reported as"
                    + " self_check_*; the codes measured are then the ones trained without the held-out photos.")
    boolean selfCheck;

    @Option(names = "--spq-base-view",
            description = "With --spq-head vector: each photo's indexed (unaugmented) vector joins its augmented views"
                    + " as one more training view (the k-means of --spq-start pq then sees the vectors it codes).")
    boolean spqBaseView;

    @Option(names = "--spq-early-stop",
            description = "With --self-check: keep the training epoch (0 = the untrained start) whose codes find the"
                    + " held-out photos' other views best, instead of the last.")
    boolean spqEarlyStop;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "SPQ training seed (default: ${DEFAULT-VALUE}); run several to see the spread.")
    long seed;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where encoder features (and SPQ training views) are kept between runs"
                    + " (default: the system property ocular.eval.cache, else ocular-eval-cache in the temp folder).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Always re-embed the dataset; read and write no feature cache.")
    boolean noCache;

    @Option(names = "--rerank", paramLabel = "MODE", defaultValue = "none",
            description = "none | local (default: ${DEFAULT-VALUE}). local: verify the global top --candidates by"
                    + " local features of the MobileNetV2 feature model (it must be installed); candidates with at"
                    + " least --promote-inliers verified points move up, the rest keep the global order. The report"
                    + " adds global_mAP (before verification) and, for holidays, a threshold sweep.")
    String rerank;

    @Option(names = "--candidates", paramLabel = "K", defaultValue = "100",
            description = "With --rerank local: global results re-ranked per query (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--rotations", paramLabel = "on|off|auto|upright", defaultValue = "auto",
            description = "Also search with the query turned by 90°, 180° and 270° and keep each photo's best score"
                    + " (sideways photos without EXIF orientation). auto: on for the instance protocols (holidays,"
                    + " ukbench), where it is measured, off for classes and cifar. upright: every photo is embedded"
                    + " in 4 turns, an orientation classifier is fitted on them without labels, and each photo is"
                    + " indexed (and, being a library photo, searches) by its upright vector"
                    + " (default: ${DEFAULT-VALUE}).")
    String rotations;

    @Option(names = "--turn-penalty", paramLabel = "P", defaultValue = "0.02",
            description = "With --rotations on: score a turned view pays against the upright one (default: ${DEFAULT-VALUE}).")
    float turnPenalty;

    @Option(names = "--turn-size", paramLabel = "PX", defaultValue = "0",
            description = "With --rotations on: shorter side, in pixels, at which the three turned query views are"
                    + " embedded (the upright view keeps the model's own size; smaller is cheaper: cost grows with the"
                    + " square of the side); 0 = the model's own size (default: ${DEFAULT-VALUE}).")
    int turnSize;

    @Option(names = "--turn-refine", paramLabel = "on|off", defaultValue = "off",
            description = "With --turn-size: a turn whose small view's best hit beats the upright view's is embedded"
                    + " again at the model's own size and searched again (what the app does) (default: ${DEFAULT-VALUE}).")
    String turnRefine;

    @Option(names = "--query-turns", paramLabel = "T", defaultValue = "0",
            description = "With --rotations on: turn every query photo by T quarter turns clockwise (0-3) before it"
                    + " is embedded, to measure how well rotation handling finds the photos of a sideways example"
                    + " (default: ${DEFAULT-VALUE}).")
    int queryTurns;

    @Option(names = "--qe", paramLabel = "N", defaultValue = "0",
            description = "Query expansion (alpha-QE): the best N results join the query, weighted by similarity^alpha;"
                    + " with --rerank local only verified results join (0 = off) (default: ${DEFAULT-VALUE}).")
    int qe;

    @Option(names = "--qe-alpha", paramLabel = "A", defaultValue = "3",
            description = "Weight exponent of --qe; 0 = plain average (default: ${DEFAULT-VALUE}).")
    float qeAlpha;

    @Option(names = "--dba", paramLabel = "N|auto", defaultValue = "auto",
            description = "Database-side augmentation, as the app applies it when the example is a library photo"
                    + " (\"More like this\"): each of the best " + DatabaseAugmentation.SHORT_LIST + " results joins"
                    + " its N nearest library photos (searched when the query runs), weighted by"
                    + " similarity^--dba-alpha; 0 = off. auto: " + DatabaseAugmentation.DEFAULT_NEIGHBOURS
                    + " for the instance protocols (holidays, ukbench), whose queries are library photos, 0 for"
                    + " classes and cifar, with --rerank local (the app verifies the plain global order) and with"
                    + " --spq-head map (default: ${DEFAULT-VALUE}).")
    String dbaOption;
    int dba;

    @Option(names = "--dba-alpha", paramLabel = "A", defaultValue = "3",
            description = "Weight exponent of --dba (default: ${DEFAULT-VALUE}).")
    float dbaAlpha;

    @Option(names = "--keypoints", paramLabel = "N",
            description = "With --rerank local: keypoints kept per photo (default: the app's).")
    Integer keypoints;

    @Option(names = "--nms", paramLabel = "R",
            description = "With --rerank local: suppression of overlapping keypoints across pyramid levels, radius in"
                    + " cells of each keypoint's level (0 = off) (default: the app's).")
    Float nms;

    @Option(names = "--ransac-tolerance", paramLabel = "F",
            description = "With --rerank local: inlier tolerance of the geometric check, as a fraction of the"
                    + " longer image side (default: the app's).")
    Double ransacTolerance;

    @Option(names = "--min-similarity", paramLabel = "S",
            description = "With --rerank local: cosine two keypoints need to match (default: the app's).")
    Float minSimilarity;

    @Option(names = "--ratio", paramLabel = "R",
            description = "With --rerank local: Lowe's ratio test on matches, 1 = off (default: the app's).")
    Float ratio;

    @Option(names = "--promote-inliers", paramLabel = "N",
            description = "With --rerank local: verified points a candidate needs to be moved above the global"
                    + " order (default: the app's).")
    Integer promoteInliers;

    @Option(names = "--promote-alone", paramLabel = "N",
            description = "With --rerank local: verified points that promote a candidate whatever its global score"
                    + " (default: the app's, 26).")
    Integer promoteAlone;

    @Option(names = "--promote-margin", paramLabel = "W",
            description = "With --rerank local: weight of the global margin (score minus the 21st candidate's) in"
                    + " the promotion evidence ln(1 + inliers) + W * margin; 0 with --promote-threshold 0 is the"
                    + " inliers-only rule (default: the app's, 10).")
    Double promoteMargin;

    @Option(names = "--promote-threshold", paramLabel = "X",
            description = "With --rerank local: promotion evidence a candidate needs besides --promote-inliers"
                    + " (default: the app's, 2.7 with --promote-reciprocal).")
    Double promoteThreshold;

    @Option(names = "--promote-reciprocal", paramLabel = "B",
            description = "With --rerank local: a candidate with fewer than --promote-alone verified points loses"
                    + " B * ln(r) of its promotion evidence, r = the query's rank among the candidate's own nearest"
                    + " library photos (1 = the query is its nearest; one index search per such candidate, as the app"
                    + " does); 0 = off (the rule before it: --promote-reciprocal 0 --promote-threshold 3.9)"
                    + " (default: the app's, 0.5).")
    Double promoteReciprocal;

    @Option(names = "--confidence-reciprocal", paramLabel = "B",
            description = "With --rerank local: each checked candidate's \"no confident match\" evidence loses"
                    + " B * ln(r), r as for --promote-reciprocal (one index search per candidate whose evidence"
                    + " reaches --confidence-threshold without it); 0 = off (default: the app's, 0.5).")
    Double confidenceReciprocal;

    @Option(names = "--confident-inliers", paramLabel = "N",
            description = "With --rerank local: judge \"no confident match\" by verified points alone, below N"
                    + " (default: the app's fused rule, see --confidence-margin).")
    Integer confidentInliers;

    @Option(names = "--confidence-margin", paramLabel = "W",
            description = "With --rerank local: weight of the global margin (score minus the 21st candidate's) in"
                    + " the confidence ln(1 + inliers) + W * margin (default: the app's, 10).")
    Double confidenceMargin;

    @Option(names = "--confidence-threshold", paramLabel = "X",
            description = "With --rerank local: confidence below which the answer is \"no confident match\""
                    + " (default: the app's, 3.2 with --confidence-reciprocal; 3.6 was the rule without it).")
    Double confidenceThreshold;

    @Option(names = "--ukbench", paramLabel = "DIR",
            description = "With --protocol instance: also score UKBench-style groups of 4 in DIR/images.")
    Path ukbench;

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1.0",
            description = "With --protocol instance: fraction of the default split (120 sources, 150 clutter,"
                    + " 100 distractors, 60 training photos) (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!rerank.equals("none") && !rerank.equals("local")) {
            throw new OcularException("Unknown re-ranking '" + rerank + "'; use none or local.");
        }
        if (candidates < 1) {
            throw new OcularException("--candidates must be at least 1.");
        }
        boolean upright = rotations.equalsIgnoreCase("upright");
        boolean turns = switch (rotations.toLowerCase(Locale.ROOT)) {
            case "auto" -> protocol.equalsIgnoreCase("holidays") || protocol.equalsIgnoreCase("ukbench");
            case "on" -> true;
            case "off", "upright" -> false;
            default -> throw new OcularException("--rotations takes on, off, auto or upright (got '" + rotations
                    + "').");
        };
        if (upright && rerank.equals("local")) {
            throw new OcularException("--rotations upright is measured for global search only; use on with"
                    + " --rerank local.");
        }
        if (!(turnPenalty >= 0) || !Float.isFinite(turnPenalty)) {
            throw new OcularException("--turn-penalty must be 0 or positive.");
        }
        if (turnSize != 0 && (turnSize < 32 || turnSize > 1024)) {
            throw new OcularException("--turn-size must be 0 (the model's own size) or 32 to 1024 pixels (got "
                    + turnSize + ").");
        }
        boolean refine = switch (turnRefine.toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new OcularException("--turn-refine takes on or off (got '" + turnRefine + "').");
        };
        if (refine && (turnSize == 0 || !turns)) {
            throw new OcularException("--turn-refine on needs --rotations on and a --turn-size.");
        }
        if (queryTurns < 0 || queryTurns > 3) {
            throw new OcularException("--query-turns must be 0 to 3 quarter turns (got " + queryTurns + ").");
        }
        if (queryTurns != 0 && (!turns || rerank.equals("local"))) {
            throw new OcularException("--query-turns is measured with --rotations on and global search only.");
        }
        LocalVerifier.Config verifierConfig = verifierConfig();
        if (qe < 0 || !(qeAlpha >= 0) || !Float.isFinite(qeAlpha)) {
            throw new OcularException("--qe must be 0 or more and --qe-alpha 0 or positive.");
        }
        QueryExpansion expansion = new QueryExpansion(qe, qeAlpha);
        boolean instanceProtocol = protocol.equalsIgnoreCase("holidays") || protocol.equalsIgnoreCase("ukbench");
        if (dbaOption.equalsIgnoreCase("auto")) {
            // an SPQ map head reads vectors of its own, which the augmentation cannot use; verification starts from
            // the plain global order in the app (its confidence was calibrated on it)
            dba = instanceProtocol && !spqHead.equalsIgnoreCase("map") && !rerank.equals("local")
                    ? DatabaseAugmentation.DEFAULT_NEIGHBOURS : 0;
        } else {
            try {
                dba = Integer.parseInt(dbaOption.strip());
            } catch (NumberFormatException e) {
                throw new OcularException("--dba takes a number of neighbours or auto (got '" + dbaOption + "').");
            }
        }
        if (dba < 0 || !(dbaAlpha >= 0) || !Float.isFinite(dbaAlpha)) {
            throw new OcularException("--dba must be 0 or more and --dba-alpha 0 or positive.");
        }
        if (protocol.equals("instance")) {
            return instanceProtocol(verifierConfig);
        }
        if (ComposedBenchmark.PROTOCOLS.contains(protocol)) {
            return composedProtocol();
        }
        boolean local = rerank.equals("local");
        Path localModel = null;
        if (local) { // fail before indexing anything
            localModel = LocalFeatureExtractor.findModel(new ModelStore(root.paths().createDirectories().dataDir()))
                    .orElseThrow(InstanceSearch.ModelMissingException::new);
        }
        GroundTruth truth = Protocols.load(protocol, dataset);
        index = IndexFactory.check(index, IndexFactory.EVAL_KINDS);
        SpqModel.HeadKind head = SpqModel.HeadKind.parse(spqHead);
        SpqTrainer.Start start = SpqTrainer.Start.parse(spqStart);
        if ((start != SpqTrainer.Start.RANDOM || selfCheck || spqBaseView || spqEarlyStop) && (head != SpqModel.HeadKind.VECTOR || !index.equals("spq"))) {
            throw new OcularException("--spq-start pq, --spq-base-view, --self-check and --spq-early-stop apply to"
                    + " --index spq --spq-head vector only.");
        }
        if (spqEarlyStop && !selfCheck) {
            throw new OcularException("--spq-early-stop needs --self-check (it selects on the held-out photos).");
        }
        EvalSpq.Settings spqSettings = new EvalSpq.Settings(bits, codewords, epochs, views, cycleWeight, spqBatch,
                seed, cycleClose, spqLr, start, selfCheck, spqBaseView, spqEarlyStop);
        final String mapCodes = IndexFactory.check(spqMapCodes, IndexFactory.EVAL_KINDS);
        if (!mapCodes.equals("spq") && (head != SpqModel.HeadKind.MAP || !index.equals("spq"))) {
            throw new OcularException("--spq-map-codes applies to --index spq --spq-head map only.");
        }
        Path mapModel = null;
        if (index.equals("spq")) {
            // checks the SPQ options, and that the database can be big enough, before any costly work
            EvalSpq.checkEnough(truth.database().size(), EvalSpq.config(spqSettings), start);
            if (head == SpqModel.HeadKind.MAP) {
                if (spqMapSize < 32 || spqMapSize % 32 != 0) {
                    throw new OcularException("--spq-map-size must be a multiple of 32, at least 32 (got "
                            + spqMapSize + ").");
                }
                if (!rotations.equalsIgnoreCase("off") && (rotations.equalsIgnoreCase("on")
                        || protocol.equalsIgnoreCase("holidays") || protocol.equalsIgnoreCase("ukbench"))) {
                    throw new OcularException("--spq-head map pools the feature map of the upright photo: add"
                            + " --rotations off.");
                }
                mapModel = LocalFeatureExtractor.findModel(new ModelStore(root.paths().createDirectories().dataDir()))
                        .orElseThrow(() -> new OcularException("--spq-head map needs the MobileNetV2 feature model:"
                                + " import it with 'ocular models import"
                                + " .../mobilenetv2-12-int8-features.onnx'."));
            }
        } else if (head != SpqModel.HeadKind.VECTOR) {
            throw new OcularException("--spq-head applies to --index spq only.");
        }
        final Path spqMapModel = mapModel;
        FeatureCache cache = noCache ? null : new FeatureCache(cacheDir != null ? cacheDir : defaultCacheDir());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AppPaths user = root.paths();
        Path tmp = Files.createTempDirectory("ocular-eval-");
        InstanceSearch.Config instanceDefaults = InstanceSearch.Config.defaults();
        ImageDecoder decoder = new ImageDecoder();
        try (CtrlC ctrlC = new CtrlC();
             LocalFeatureExtractor extractor = localModel == null ? null : new LocalFeatureExtractor(localModel,
                     LocalFeatureExtractor.Pyramid.standard(), Runtime.getRuntime().availableProcessors())) {
            AppPaths evalPaths = AppPaths.under(tmp).withModelsDir(user.modelsDir()).createDirectories();
            EvalReport report;
            String modelId = model != null ? model : Engine.activeModelId(user).orElse(null);
            try (Engine ocular = root.opener().open(evalPaths, modelId); ScanPool pool = ScanPool.perCore()) {
                ModelInfo active = ocular.activeModel();
                EvalPipeline.Indexing indexing = new EngineIndexing(ocular, active, dataset, err, ctrlC);
                IndexFactory factory = new IndexFactory(pool);
                EvalPipeline.IndexBuilder builder = (database, dbPhotos, dbFeatures) -> {
                    if (index.equals("spq") && head == SpqModel.HeadKind.MAP) {
                        EvalSpqMap.Result spq = EvalSpqMap.train(spqMapModel, spqMapSize, truth.images(),
                                imageIds(truth), dbPhotos, dbFeatures, database, spqSettings, err,
                                ctrlC::interrupted);
                        Map<String, Object> r = new LinkedHashMap<>(compressedReport());
                        r.putAll(spqReport());
                        r.put("spq_head", "map");
                        r.put("map_size", spqMapSize);
                        r.put("learned_p", spq.model().pooling().effectiveP());
                        r.put("train_photos", spq.photos());
                        r.put("cycle_partners", spq.cyclePartners());
                        r.put("map_cache_mb", spq.cacheBytes() / 1e6);
                        r.put("views_s", spq.viewsSeconds());
                        r.put("train_s", spq.trainSeconds());
                        r.put("train_cpu_s", spq.trainCpuSeconds());
                        r.put("pool_s", spq.poolSeconds());
                        r.put("map_codes", mapCodes);
                        Reranker exactRerank = rerankExact ? factory.exactReranker(spq.database()) : null;
                        VectorIndex codes = mapCodes.equals("spq")
                                ? factory.spq(spq.model(), spq.database(), exactRerank)
                                : factory.build(mapCodes, bits, spq.database(), exactRerank);
                        return new EvalPipeline.Built(codes, r, id -> spq.pooled().get(id));
                    }
                    if (index.equals("spq")) {
                        EvalSpq.Result spq = EvalSpq.train(dbPhotos, dbFeatures, ocular.imageEncoder(), active, cache,
                                spqSettings, err, ctrlC::interrupted);
                        Map<String, Object> r = new LinkedHashMap<>(compressedReport());
                        r.putAll(spqReport());
                        r.put("spq_head", "vector");
                        r.put("train_photos", spq.photos());
                        r.put("cycle_partners", spq.cyclePartners());
                        r.put("views_cached", spq.viewsCached());
                        r.put("views_s", spq.viewsSeconds());
                        r.put("train_s", spq.trainSeconds());
                        r.put("train_cpu_s", spq.trainCpuSeconds());
                        r.put("spq_start", spqStart);
                        r.put("spq_lr", spqLr);
                        r.put("spq_base_view", spqBaseView);
                        r.put("kept_epoch", spq.keptEpoch());
                        if (spq.selfCheck() != null) {
                            r.put("self_check_held_out", spq.selfCheck().heldOut());
                            r.put("self_check_spq", spq.selfCheck().spqScore());
                            r.put("self_check_pq", spq.selfCheck().pqScore());
                            r.put("self_check_spq_wins", spq.selfCheck().spqWins());
                            r.put("self_check_app_pq", spq.selfCheckApp().pqScore());
                            r.put("self_check_app_spq_wins", spq.selfCheckApp().spqWins());
                        }
                        return new EvalPipeline.Built(factory.spq(spq.model(), database,
                                rerankExact ? factory.exactReranker(database) : null), r);
                    }
                    return new EvalPipeline.Built(factory.build(index, bits, database,
                            rerankExact ? factory.exactReranker(database) : null),
                            index.equals("exact") ? Map.of() : compressedReport());
                };
                LocalRerankStage stage = null;
                if (extractor != null) {
                    int longSide = instanceDefaults.decodeLongSide();
                    DenseFeatureCache dense = new DenseFeatureCache(extractor, LocalFeatureExtractor.MODEL_SHA256,
                            "long=" + longSide + ";pyramid=standard",
                            p -> decoder.decodeToFit(p, longSide).image(), cache);
                    int n = keypoints != null ? keypoints : instanceDefaults.maxFeatures();
                    float radius = nms != null ? nms : LocalFeatureModel.DEFAULT_NMS_RADIUS;
                    if (n < 3 || !(radius >= 0) || !Float.isFinite(radius)) {
                        throw new OcularException("--keypoints must be at least 3 and --nms 0 or positive.");
                    }
                    stage = new LocalRerankStage(dense, n, radius, instanceDefaults.sampleImages(), verifierConfig,
                            pool);
                }
                int shortSide = ocular.imageEncoder().preferredShortSide();
                EvalPipeline pipeline = new EvalPipeline(cache, p -> decoder.decode(p, shortSide).image(), err,
                        ctrlC::interrupted);
                report = pipeline.run(truth, indexing, builder,
                                new EvalPipeline.Options(turns, turnPenalty, stage, candidates, expansion, dba,
                                        dbaAlpha, upright, turnSize, queryTurns, refine))
                        .with("model", active.id())
                        .with("index", index)
                        .with("rerank", rerank);
                if (ctrlC.interrupted()) {
                    err.println("Cancelled.");
                    return 130;
                }
            } catch (CancellationException e) {
                err.println("Cancelled.");
                return 130;
            }
            if (json) {
                out.println(report.toJson());
            } else {
                out.println(report.toText());
            }
            out.flush();
            return 0;
        } finally {
            TempDirs.deleteRecursively(tmp);
        }
    }

    /** Dataset ids as the pipeline assigns them: positions in {@code truth.images()}. */
    private static Map<Path, Long> imageIds(GroundTruth truth) {
        Map<Path, Long> ids = new HashMap<>();
        for (int i = 0; i < truth.images().size(); i++) {
            ids.put(truth.images().get(i), (long) i);
        }
        return ids;
    }

    private Map<String, Object> spqReport() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epochs", epochs);
        r.put("views", views);
        r.put("codewords", codewords);
        r.put("cycle_weight", cycleWeight);
        r.put("cycle_close", cycleClose);
        r.put("seed", seed);
        return r;
    }

    private Map<String, Object> compressedReport() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("bits", bits);
        r.put("rerank_exact", rerankExact);
        r.put("dba", dba);
        return r;
    }

    private LocalVerifier.Config verifierConfig() {
        LocalVerifier.Config d = LocalVerifier.Config.defaults();
        int promote = promoteInliers != null ? promoteInliers : d.promoteInliers();
        if (promote < 3 || (confidentInliers != null && confidentInliers < 3)) {
            throw new OcularException("--promote-inliers and --confident-inliers must be at least 3 (an affine"
                    + " transform needs 3 points).");
        }
        if (confidentInliers != null && (confidenceMargin != null || confidenceThreshold != null)) {
            throw new OcularException("--confident-inliers is the inliers-only rule; it does not combine with"
                    + " --confidence-margin or --confidence-threshold.");
        }
        MatchConfidence dc = d.confidence();
        double w = confidenceMargin != null ? confidenceMargin : dc.marginWeight();
        double x = confidenceThreshold != null ? confidenceThreshold : dc.threshold();
        if (!(w >= 0) || !Double.isFinite(w) || !Double.isFinite(x)) {
            throw new OcularException("--confidence-margin must be 0 or positive and --confidence-threshold a"
                    + " number.");
        }
        MatchConfidence confident = confidentInliers != null ? MatchConfidence.inliers(confidentInliers)
                : new MatchConfidence(w, dc.marginRank(), x);
        MatchConfidence dp = d.promotion();
        double pw = promoteMargin != null ? promoteMargin : dp.marginWeight();
        double px = promoteThreshold != null ? promoteThreshold : dp.threshold();
        if (!(pw >= 0) || !Double.isFinite(pw) || !Double.isFinite(px)) {
            throw new OcularException("--promote-margin must be 0 or positive and --promote-threshold a number.");
        }
        MatchConfidence promotion = new MatchConfidence(pw, dp.marginRank(), px);
        double tol = ransacTolerance != null ? ransacTolerance : d.ransac().threshold();
        float sim = minSimilarity != null ? minSimilarity : d.minSimilarity();
        float r = ratio != null ? ratio : d.ratio();
        if (!(tol > 0 && tol < 1) || !(sim >= -1 && sim <= 1) || !(r > 0 && r <= 1)) {
            throw new OcularException("--ransac-tolerance must be in (0, 1), --min-similarity in [-1, 1] and --ratio"
                    + " in (0, 1].");
        }
        int alone = promoteAlone != null ? promoteAlone : d.promoteAlone();
        if (alone < 3) {
            throw new OcularException("--promote-alone must be at least 3 (an affine transform needs 3 points).");
        }
        double beta = promoteReciprocal != null ? promoteReciprocal : d.reciprocalWeight();
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new OcularException("--promote-reciprocal must be 0 or positive (got " + beta + ").");
        }
        // the inliers-only rule is the rule of 0070's first amendment: no other term unless asked for
        double betaConfidence = confidenceReciprocal != null ? confidenceReciprocal
                : confidentInliers != null ? 0 : d.confidenceReciprocal();
        if (!(betaConfidence >= 0) || !Double.isFinite(betaConfidence)) {
            throw new OcularException("--confidence-reciprocal must be 0 or positive (got " + betaConfidence + ").");
        }
        return d.withThresholds(promote, alone, promotion, confident).withMatching(sim, r, tol)
                .withReciprocal(beta).withConfidenceReciprocal(betaConfidence);
    }

    static boolean onOff(String option, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new OcularException(option + " takes on or off (got '" + value + "').");
        };
    }

    /** The dataset indexed by the engine in the throwaway data folder, as a library would be. */
    private record EngineIndexing(Engine ocular, ModelInfo active, Path dataset, PrintWriter err, CtrlC ctrlC)
            implements EvalPipeline.Indexing {
        @Override
        public String modelId() {
            return active.id();
        }

        @Override
        public String modelSha256() {
            return active.sha256();
        }

        @Override
        public float[][] index(List<Path> images) {
            Path folder = dataset.toAbsolutePath().normalize();
            try {
                IndexRun.runToCompletion(ocular.indexer(), () -> ocular.indexer().addFolder(folder), err, ctrlC);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException();
            }
            if (ctrlC.interrupted()) {
                throw new CancellationException();
            }
            return features(ocular.catalog(), active.id(), images);
        }

        @Override
        public ImageEncoder encoder() {
            return ocular.imageEncoder();
        }
    }

    /** The generated instance-retrieval evaluation ({@link InstanceEval}) on a Corel-style dataset. */
    private int instanceProtocol(LocalVerifier.Config verifierConfig) throws Exception {
        Path images = dataset.resolve("images");
        if (!Files.isDirectory(images)) {
            throw new OcularException("The instance protocol needs a Corel-style dataset (class folders under "
                    + images + ").");
        }
        if (scale <= 0 || scale > 1) {
            throw new OcularException("--scale must be in (0, 1].");
        }
        Path modelFile = LocalFeatureExtractor.findModel(new ModelStore(root.paths().createDirectories().dataDir()))
                .orElseThrow(InstanceSearch.ModelMissingException::new);
        InstanceEval.Config d = InstanceEval.Config.defaults();
        InstanceEval.Config cfg = new InstanceEval.Config(scaled(d.sources()), scaled(d.clutter()),
                scaled(d.distractors()), Math.max(6, scaled(d.train())), d.maxFeatures(), candidates, d.seed(),
                verifierConfig);
        long start = System.nanoTime();
        Map<String, Object> report;
        try (LocalFeatureExtractor extractor = new LocalFeatureExtractor(modelFile,
                LocalFeatureExtractor.Pyramid.standard(), Runtime.getRuntime().availableProcessors())) {
            report = new InstanceEval(extractor, cfg).run(dataset, ukbench);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("protocol", "instance");
        out.putAll(report);
        out.put("seconds", (System.nanoTime() - start) / 1e9);
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            Json.print(pw, out);
        } else {
            pw.println(InstanceEval.toJson(out));
            pw.flush();
        }
        return 0;
    }

    /** cirr / fashioniq ({@link EvalComposed}). */
    private int composedProtocol() throws Exception {
        FeatureCache cache = noCache ? null : new FeatureCache(cacheDir != null ? cacheDir : defaultCacheDir());
        PrintWriter out = spec.commandLine().getOut();
        try (CtrlC ctrlC = new CtrlC()) {
            Map<String, Object> report = EvalComposed.run(root, new EvalComposed.Settings(protocol, dataset, split, model,
                    combiner, textWeight), cache, spec.commandLine().getErr(), ctrlC::interrupted);
            if (json) {
                Json.print(out, report);
            } else {
                EvalComposed.printText(out, report);
                out.flush();
            }
            return 0;
        } catch (CancellationException e) {
            spec.commandLine().getErr().println("Cancelled.");
            return 130;
        }
    }

    private int scaled(int n) {
        return Math.max(2, (int) Math.round(n * scale));
    }

    /** {@code -Docular.eval.cache=DIR} (the build points tests at target/), else the temp folder. */
    static Path defaultCacheDir() {
        String prop = System.getProperty("ocular.eval.cache");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "ocular-eval-cache");
    }

    /** The indexed vector of each image, in order; null where the indexer skipped the file. */
    static float[][] features(Catalog catalog, String modelId, List<Path> images) {
        EmbeddingMatrix matrix = catalog.loadEmbeddings(modelId);
        Map<Long, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < matrix.rows(); i++) {
            rowOf.put(matrix.ids()[i], i);
        }
        float[][] out = new float[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            Integer row = lookup(catalog, images.get(i)).map(rowOf::get).orElse(null);
            out[i] = row == null ? null : matrix.row(row);
        }
        return out;
    }

    /** The catalog id of a dataset file (by its normalised path, else its real path when links are involved). */
    static Optional<Long> lookup(Catalog catalog, Path p) {
        var found = catalog.imageByPath(p);
        if (found.isEmpty()) {
            try {
                found = catalog.imageByPath(p.toRealPath());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return found.map(ImageRecord::id);
    }
}
