package io.ocular.search;

import io.ocular.model.ScoredId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

// Longer than 600 lines: the index lifecycle (load, build, reconcile, SPQ or PQ codes, progress, status) reads as
// one state machine around one write lock; splitting it would spread that lock over several classes.
/**
 * The live engine's index: exact search over every float vector ({@link FullVectors}: on the heap for small
 * libraries, a memory-mapped file for large ones), plus IVF-PQ compact codes once the collection is past
 * {@link IndexPolicy}'s size threshold (docs/decisions/0050). The codes are persisted in {@code dir}
 * ({@link PqIndexFiles}: checksummed, atomic) with a tag naming the model, loaded at open (seconds), and
 * rebuilt on a background thread when missing, damaged, from another model or outgrown ({@link PqIndex#needsRetrain});
 * until they are ready — and while a rebuild runs — searches use exact search, so nothing waits on training.
 * After a load or build the codes are reconciled with the exact index (photos added or removed meanwhile, or
 * since the files were written). The full vectors also serve the re-rank: with {@link MappedVectors} only the
 * candidates' rows are read, so the heap holds the codes (64 B + id per photo), not the vectors.
 */
public final class AdaptiveIndex implements VectorIndex, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdaptiveIndex.class);
    static final String OWNER_FILE = "pq-owner.bin";
    private static final String OWNER_MAGIC = "OCPQOWNR";
    /** Without compact codes, a filter allowing at most 1/this of the index is scored id by id ({@link #search(float[], int, SearchFilter)}). */
    static final int FEW_IDS_FRACTION = 16;

    private final FullVectors exact;
    private final Path dir;
    private final String modelId;
    private final ScanPool pool;
    private final long exactMaxFloats;
    private final ExecutorService background;
    private final Object writeLock = new Object();
    private volatile PqIndex compact; // null: exact search only
    private volatile boolean building;
    private volatile double buildProgress = -1; // a build's progress in [0, 1]; -1: no build running
    private volatile String lastSource = "none";
    private volatile boolean savedUnusable; // the saved codes failed to load at open: rebuild without retrying
    private volatile IndexChoice choice = IndexChoice.AUTO;
    private volatile int nprobeOverride; // 0: IndexPolicy's
    private volatile int rerankOverride; // 0: IndexPolicy's
    private volatile TrainedCodes trained; // null: PQ codebooks; else the user's SPQ codes (won their self-check)
    private volatile double baselineRecall = Double.NaN; // the codes' first recall self-check (RecallCheck)
    private volatile double lastRecall = Double.NaN;
    private volatile int recallCheckedAt; // library size at the codes' last self-check; 0: not to be checked
    private volatile boolean recallChecking;

    /**
     * @param exact          every vector of the model (kept in step by the caller through {@link #add}/{@link #remove})
     * @param dir            where this model's codes live
     * @param exactMaxFloats up to this many stored floats, exact search only ({@link IndexPolicy#EXACT_MAX_FLOATS})
     */
    AdaptiveIndex(FullVectors exact, Path dir, String modelId, ScanPool pool, long exactMaxFloats) {
        this.exact = exact;
        this.dir = dir;
        this.modelId = modelId;
        this.pool = pool;
        this.exactMaxFloats = exactMaxFloats;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ocular-compact-codes");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
    }

    /** The index the app uses for {@code modelId}: starts loading (or building) codes in the background if due. */
    public static AdaptiveIndex open(FullVectors exact, Path dir, String modelId, ScanPool pool) {
        return open(exact, dir, modelId, pool, IndexPolicy.exactMaxFloats());
    }

    static AdaptiveIndex open(FullVectors exact, Path dir, String modelId, ScanPool pool, long exactMaxFloats) {
        return open(exact, dir, modelId, pool, exactMaxFloats, IndexChoice.AUTO);
    }

    /** As {@link #open(FullVectors, Path, String, ScanPool)}, with the user's {@link IndexChoice} from the start. */
    public static AdaptiveIndex open(FullVectors exact, Path dir, String modelId, ScanPool pool, IndexChoice choice) {
        return open(exact, dir, modelId, pool, IndexPolicy.exactMaxFloats(), choice);
    }

    static AdaptiveIndex open(FullVectors exact, Path dir, String modelId, ScanPool pool, long exactMaxFloats,
                              IndexChoice choice) {
        return open(exact, dir, modelId, pool, exactMaxFloats, choice, null);
    }

    /**
     * As {@link #open(FullVectors, Path, String, ScanPool, IndexChoice)}, coding with the user's {@code trained}
     * SPQ codes (null: PQ codebooks) whenever compact codes are used.
     */
    public static AdaptiveIndex open(FullVectors exact, Path dir, String modelId, ScanPool pool, IndexChoice choice,
                                     TrainedCodes trained) {
        return open(exact, dir, modelId, pool, IndexPolicy.exactMaxFloats(), choice, trained);
    }

    static AdaptiveIndex open(FullVectors exact, Path dir, String modelId, ScanPool pool, long exactMaxFloats,
                              IndexChoice choice, TrainedCodes trained) {
        AdaptiveIndex a = new AdaptiveIndex(exact, dir, modelId, pool, exactMaxFloats);
        a.choice = choice;
        a.trained = trained;
        a.dropStaleTemporaryFiles();
        a.loadSaved();
        PqIndex loaded = a.compact;
        // a library that outgrew its codes while the app was closed retrains now, the loaded codes serving meanwhile
        a.startIfDue(loaded != null && loaded.needsRetrain());
        return a;
    }

    /** Temporary files older than this are left from a killed write (a live writer keeps touching its file). */
    private static final Duration STALE_TEMP = Duration.ofMinutes(10);

    /** Removes temporary files a killed save left behind (they can be as large as the vector file). */
    private void dropStaleTemporaryFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        long cutoff = System.currentTimeMillis() - STALE_TEMP.toMillis();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".tmp") && Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                    LOG.info("removed {} (left by an interrupted save)", p);
                }
            }
        } catch (IOException e) {
            LOG.debug("could not tidy {}: {}", dir, e.getMessage());
        }
    }

    /** A folder name for {@code modelId}'s codes (ids may hold characters a file system refuses). */
    public static String folderName(String modelId) {
        String safe = modelId.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe + "-" + Integer.toHexString(modelId.hashCode());
    }

    /**
     * Loads intact saved codes on the opening thread (reading 1M codes is a matter of seconds, so the first
     * search of a fresh process — `ocular search`, `status` — already uses them); anything slower, a rebuild,
     * is left to the background.
     */
    private void loadSaved() {
        if (!wantsCodes() || !Files.exists(dir.resolve(PqIndexFiles.MODEL_FILE))) {
            return;
        }
        PqIndex codes = load();
        if (codes == null) {
            savedUnusable = true;
            return;
        }
        synchronized (writeLock) {
            reconcile(codes);
            compact = codes;
        }
        lastSource = "loaded";
        newCodes(exact.size()); // checked once the library has grown (a check now would slow the first searches)
    }

    /** Codes were just put in use: their self-check starts over (next at {@code checkAt}·(1 + growth); 0: never). */
    private void newCodes(int checkAt) {
        baselineRecall = Double.NaN;
        lastRecall = Double.NaN;
        recallCheckedAt = checkAt;
    }

    private boolean wantsCodes() {
        return choice.wantsCodes(exact.size(), exact.dimension(), exactMaxFloats);
    }

    /**
     * The user's choice (Settings): exact makes searches scan every vector at once (codes already built stay on
     * disk for later); compact or automatic start preparing codes in the background when they are due.
     */
    public void choose(IndexChoice c) {
        choice = Objects.requireNonNull(c, "choice");
        startIfDue(false);
    }

    /** The user's choice in force. */
    public IndexChoice choice() {
        return choice;
    }

    /**
     * Codes with {@code codes} (the user's SPQ model, after it won its self-check) from now on, or with PQ codebooks
     * again (null): the codes are rebuilt in the background and the codes there are serve searches meanwhile.
     */
    public void useTrainedCodes(TrainedCodes codes) {
        TrainedCodes before = trained;
        trained = codes;
        if (before == null ? codes == null : codes != null && before.tag().equals(codes.tag())) {
            return;
        }
        LOG.info("compact codes for {}: {} from now on", modelId, codes == null ? "PQ codebooks"
                : "the SPQ codes trained on the user's photos (" + codes.summary() + ")");
        startIfDue(compact != null);
    }

    /** The user's trained codes this index codes with when it uses compact codes, or null (PQ). */
    public TrainedCodes trainedCodes() {
        return trained;
    }

    /** The compact codes searches use now, or null (none ready, exact chosen, or automatic below the threshold). */
    private PqIndex codes() {
        return choice == IndexChoice.EXACT || (choice == IndexChoice.AUTO && !wantsCodes()) ? null : compact;
    }

    private void startIfDue(boolean retrain) {
        synchronized (writeLock) {
            if (building || background.isShutdown() || !wantsCodes() || (compact != null && !retrain)) {
                return;
            }
            building = true;
        }
        background.execute(() -> {
            TrainedCodes codingWith = trained;
            boolean ready = false;
            try {
                prepare(retrain);
                ready = true;
            } catch (RuntimeException | Error e) {
                if (background.isShutdown()) { // closed while building: nothing is wrong, the build just stops
                    LOG.info("compact codes for {}: build stopped (closing)", modelId);
                    return;
                }
                LOG.error("compact codes for {} could not be prepared; exact search stays in use", modelId, e);
            } finally {
                recallChecking = ready && trained == codingWith; // set first: awaitIdle never sees a gap
                building = false;
                buildProgress = -1;
            }
            if (trained != codingWith) { // the user's trained codes changed while this build ran: code again
                startIfDue(true);
            } else if (ready) {
                runRecallCheck(); // the new codes' baseline, on this background thread
            }
        });
    }

    /** Runs the recall self-check in the background when the library has grown enough since the last one. */
    private void checkRecallIfDue() {
        if (recallChecking || building || compact == null || !RecallCheck.due(recallCheckedAt, exact.size())) {
            return;
        }
        synchronized (writeLock) {
            if (recallChecking || background.isShutdown()) {
                return;
            }
            recallChecking = true;
        }
        background.execute(this::runRecallCheck);
    }

    /** {@link #checkRecall} on the background thread, which the caller marked busy ({@code recallChecking}). */
    private void runRecallCheck() {
        try {
            checkRecall();
        } catch (RuntimeException e) {
            LOG.warn("recall self-check of the compact codes for {} failed: {}", modelId, e.toString());
        } finally {
            recallChecking = false;
        }
    }

    /**
     * The codes' recall@10 self-check ({@link RecallCheck}), as searches use them; the first one after the codes
     * were put in use is their baseline. Asks for a retrain when they have fallen (SPQ codes are judged by their
     * own self-check instead).
     */
    private void checkRecall() {
        PqIndex c = compact;
        if (c == null || c.encoder() instanceof SpqModel || background.isShutdown()) {
            return;
        }
        int size = exact.size();
        double r = RecallCheck.measure(exact.ids(), exact::vector,
                (q, k) -> c.search(q, k, null, nprobeFor(c), rerankFor(c, k), IndexPolicy.rerankZ()), exact::search,
                RecallCheck.QUERIES, size);
        if (compact != c) {
            return; // replaced meanwhile: the new codes get their own check
        }
        double base = baselineRecall;
        lastRecall = r;
        recallCheckedAt = size;
        if (Double.isNaN(base)) {
            baselineRecall = r;
        }
        LOG.info("compact codes for {}: recall@10 self-check {} on {} photos (baseline {})", modelId,
                String.format(Locale.ROOT, "%.3f", r), size,
                Double.isNaN(base) ? "this check" : String.format(Locale.ROOT, "%.3f", base));
        if (RecallCheck.asksRetrain(base, r, c.trainedSize(), size)) {
            LOG.warn("compact codes for {}: recall@10 self-check fell to {} (baseline {}, trained on {} of {} photos);"
                    + " retraining in the background", modelId, String.format(Locale.ROOT, "%.3f", r),
                    Double.isNaN(base) ? "none" : String.format(Locale.ROOT, "%.3f", base), c.trainedSize(), size);
            startIfDue(true);
        }
    }

    /** The codes' last recall@10 self-check, or NaN (none since they were put in use). */
    public double recallSelfCheck() {
        return lastRecall;
    }

    private void prepare(boolean retrain) {
        PqIndex codes = retrain || savedUnusable ? null : load();
        if (codes == null) {
            long t0 = System.nanoTime();
            VectorRows m = exact.snapshot();
            TrainedCodes spq = trained;
            if (spq != null && spq.model().dimension() == m.dimension()) {
                LOG.info("coding {} vectors of {} with the SPQ codes trained on the user's photos", m.rows(), modelId);
                codes = spqCodes(spq.model(), m);
            } else {
                if (spq != null) {
                    LOG.warn("the trained SPQ codes of {} code {}-d vectors, not {}-d; PQ codebooks instead", modelId,
                            spq.model().dimension(), m.dimension());
                }
                PqConfig cfg = IndexFactory.config("ivfpq", IndexPolicy.bits(m.dimension()), 0, 0,
                        IndexPolicy.rerank(m.rows()), m.rows());
                LOG.info("building compact codes for {} ({} vectors, {})", modelId, m.rows(), cfg);
                codes = PqIndex.train(m, cfg, pool, new ExactReranker(exact), this::progress);
                buildProgress = -1;
            }
            try {
                Files.createDirectories(dir);
                PqIndexFiles.save(codes, dir);
                ChecksummedFile.write(dir.resolve(OWNER_FILE), OWNER_MAGIC, 1, owner());
            } catch (IOException e) {
                LOG.warn("could not save the compact codes to {}: {}", dir, e.getMessage());
            }
            lastSource = "built";
            LOG.info("compact codes for {} built in {} s", modelId, (System.nanoTime() - t0) / 1_000_000_000L);
        } else {
            lastSource = "loaded";
        }
        synchronized (writeLock) {
            reconcile(codes);
            compact = codes;
        }
        newCodes(0); // measured by the build's task once it is done (the baseline)
    }

    /** A build's progress: kept for status lines, logged every tenth. */
    private void progress(double done) {
        double before = buildProgress;
        buildProgress = done;
        if ((int) (done * 10) > (int) (before * 10)) {
            LOG.info("compact codes for {}: {}%", modelId, Math.round(done * 100));
        }
    }

    /** How far a build of the codes has come, in [0, 1], or -1 when none is running. */
    public double buildProgress() {
        return buildProgress;
    }

    /** Every row of {@code m} coded by a trained SPQ model, in blocks (the rows may be a mapped file). */
    private PqIndex spqCodes(SpqModel model, VectorRows m) {
        PqConfig cfg = PqConfig.forBits(8 * model.subspaces()).withRerankFactor(IndexPolicy.rerank(m.rows()));
        // one list, no rotation (SPQ's head is not linear); trained size = the rows coded now (recoded when doubled)
        PqIndex codes = new PqIndex(cfg.withIvf(0, 1).withOpq(false), m.dimension(), null, null, model, m.rows(), pool,
                new ExactReranker(exact));
        int dim = m.dimension();
        int block = 4096;
        long[] ids = new long[block];
        float[] data = new float[block * dim];
        for (int from = 0; from < m.rows(); from += block) {
            int len = Math.min(block, m.rows() - from);
            for (int i = 0; i < len; i++) {
                ids[i] = m.id(from + i);
                m.copy(from + i, data, i * dim);
            }
            codes.addAll(Arrays.copyOf(ids, len), Arrays.copyOf(data, len * dim));
        }
        return codes;
    }

    /** The saved codes when they are intact and this model's, else null (with the reason logged). */
    private PqIndex load() {
        if (!Files.exists(dir.resolve(PqIndexFiles.MODEL_FILE))) {
            LOG.info("no compact codes for {} yet in {}; building them", modelId, dir);
            return null;
        }
        try {
            byte[] tag = ChecksummedFile.read(dir.resolve(OWNER_FILE), OWNER_MAGIC, 1);
            if (!Arrays.equals(tag, owner())) {
                LOG.warn("compact codes in {} were made for other codes or another model ({}); rebuilding", dir,
                        new String(tag, StandardCharsets.UTF_8).replace('\n', ' '));
                return null;
            }
            PqIndex loaded = PqIndexFiles.load(dir, pool, new ExactReranker(exact));
            boolean spq = trained != null;
            if (loaded.dimension() != exact.dimension() || spq != loaded.encoder() instanceof SpqModel
                    || (!spq && loaded.config().nlist() == 0)) {
                LOG.warn("compact codes in {} do not fit {}; rebuilding", dir, modelId);
                return null;
            }
            return loaded;
        } catch (IOException e) {
            LOG.warn("compact codes for {} unusable ({}); rebuilding them, exact search meanwhile", modelId,
                    e.getMessage());
            return null;
        }
    }

    /** The tag saved with the codes: the model, its dimension and, for SPQ codes, which trained model made them. */
    private byte[] owner() {
        TrainedCodes t = trained;
        return (modelId + "\n" + exact.dimension() + (t == null ? "" : "\nspq " + t.tag())).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Makes {@code codes} hold exactly the full tier's ids (caller holds the write lock); sorted merge, no boxing:
     * photos missing from the codes are appended without lookups, those gone are removed in one pass.
     */
    private void reconcile(PqIndex codes) {
        long[] inCodes = codes.ids();
        long[] wanted = exact.ids();
        Arrays.sort(inCodes);
        Arrays.sort(wanted);
        int added = 0;
        long[] gone = new long[16];
        int removed = 0;
        int i = 0;
        int j = 0;
        while (i < wanted.length || j < inCodes.length) {
            if (j == inCodes.length || (i < wanted.length && wanted[i] < inCodes[j])) {
                float[] v = exact.vector(wanted[i]);
                if (v != null) {
                    codes.addNew(wanted[i], v);
                    added++;
                }
                i++;
            } else if (i == wanted.length || inCodes[j] < wanted[i]) {
                if (removed == gone.length) {
                    gone = Arrays.copyOf(gone, removed * 2);
                }
                gone[removed++] = inCodes[j++];
            } else {
                i++;
                j++;
            }
        }
        codes.removeAll(Arrays.copyOf(gone, removed)); // ascending: taken from the sorted ids
        if (added > 0 || removed > 0) {
            LOG.info("compact codes for {}: {} added, {} removed to match the library", modelId, added, removed);
        }
    }

    @Override
    public void add(long id, float[] vector) {
        synchronized (writeLock) {
            boolean had = exact.contains(id);
            exact.add(id, vector);
            PqIndex c = compact;
            if (c != null) {
                addCode(c, id, vector, had);
            }
        }
        PqIndex c = compact;
        startIfDue(c != null && c.needsRetrain());
        checkRecallIfDue();
    }

    /** One lock of the exact index for the whole batch (searches wait once, not once per photo). */
    @Override
    public void addBatch(List<Long> ids, List<float[]> vectors) {
        synchronized (writeLock) {
            PqIndex c = compact;
            boolean[] had = new boolean[ids.size()];
            if (c != null) {
                for (int i = 0; i < had.length; i++) {
                    had[i] = exact.contains(ids.get(i));
                }
            }
            exact.addBatch(ids, vectors);
            if (c != null) {
                for (int i = 0; i < had.length; i++) {
                    addCode(c, ids.get(i), vectors.get(i), had[i]);
                }
            }
        }
        PqIndex c = compact;
        startIfDue(c != null && c.needsRetrain());
        checkRecallIfDue();
    }

    /**
     * A new photo's code is appended without a lookup (the codes hold exactly the full tier's ids: reconciled
     * under the write lock, then written with it); a photo the full tier held already replaces its code.
     */
    private static void addCode(PqIndex c, long id, float[] vector, boolean had) {
        if (had) {
            c.add(id, vector);
        } else {
            c.addNew(id, vector);
        }
    }

    @Override
    public boolean remove(long id) {
        synchronized (writeLock) {
            PqIndex c = compact;
            float[] v = c != null ? exact.vector(id) : null; // finds the code's list (the search starts there)
            boolean had = exact.remove(id);
            if (c != null) {
                c.remove(id, v);
            }
            return had;
        }
    }

    @Override
    public List<ScoredId> search(float[] query, int k) {
        PqIndex c = codes();
        return c != null ? c.search(query, k, null, nprobeFor(c), rerankFor(c, k), IndexPolicy.rerankZ())
                : exact.search(query, k);
    }

    /**
     * Overrides {@link IndexPolicy}'s search-time parameters of the compact codes ({@code bench library --sweep});
     * 0 restores the policy's. The codes need no rebuild: nprobe and r are read at every search.
     */
    public void searchParameters(int nprobe, int rerank) {
        if (nprobe < 0 || rerank < 0) {
            throw new IllegalArgumentException("nprobe and rerank must be >= 0: " + nprobe + ", " + rerank);
        }
        nprobeOverride = nprobe;
        rerankOverride = rerank;
    }

    private int nprobeFor(PqIndex c) {
        int n = nprobeOverride;
        return n > 0 ? n : Math.max(1, IndexPolicy.nprobe(c.config().nlist())); // SPQ codes: one list
    }

    private int rerankFor(PqIndex c) {
        int r = rerankOverride;
        return r > 0 ? r : IndexPolicy.rerank(c.size());
    }

    /** Results up to which the policy's r applies to every one of k: k·r candidates are re-ranked exactly. */
    static final int RERANK_FULL_K = 10;

    /**
     * The re-rank factor for a search of {@code k}: the policy's r up to {@value #RERANK_FULL_K} results; beyond,
     * as many candidates as {@value #RERANK_FULL_K} results get ({@value #RERANK_FULL_K}·r), or 2k if more. The
     * window asks for 1,000 results: k·r was 200,000 candidates at 1M photos — the whole of the probed lists,
     * re-ranked from the vector file (14 s a search warm, 45 s cold, 6 GB of the file paged in; issue 13). The
     * first results, the ones on screen, are as good as a 10-result search's; the tail of a long list is the
     * codes' order re-scored. An override ({@link #searchParameters}) is used as given.
     */
    private int rerankFor(PqIndex c, int k) {
        return rerankOverride > 0 ? rerankOverride : rerankFactor(rerankFor(c), k);
    }

    /** The policy's {@code r} for a search of {@code k} ({@link #rerankFor(PqIndex, int)}). */
    static int rerankFactor(int r, int k) {
        if (k <= RERANK_FULL_K) {
            return r;
        }
        long budget = Math.max(2L * k, (long) RERANK_FULL_K * r);
        return (int) Math.max(1, Math.min(r, (budget + k - 1) / k));
    }

    /**
     * Filtered inside the index, so {@code k} allowed hits come back whenever the index holds that many: a filter
     * that knows its few ids scores just those exactly — at most 1/{@link #FEW_IDS_FRACTION} of the index, and
     * with compact codes also at most 2·k·r ids (about what the codes' own re-rank reads, so exact costs no
     * more); otherwise the compact codes skip disallowed ids while they scan (widening the probed lists until k
     * are found) and the exact tier answers when they still fall short (codes being reconciled); without codes the
     * exact tier filters natively. (Before 0050's 2026-11-30 amendment every scope up to 1/16 of the index was
     * scored exactly: 5,000 mapped rows a query in a 5% scope of 100k.)
     */
    @Override
    public List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        if (filter.allowsAll()) {
            return search(query, k);
        }
        BitSet known = filter.knownIds();
        PqIndex c = codes();
        long few = (long) exact.size() / FEW_IDS_FRACTION;
        if (c != null) {
            few = Math.min(few, 2L * k * rerankFor(c, k)); // about twice what the codes' own re-rank reads
        }
        if (known != null && known.cardinality() <= few) {
            return scoreFew(query, k, known, filter);
        }
        if (c == null) {
            return exact.search(query, k, filter);
        }
        List<ScoredId> found = c.search(query, k, filter::allows, nprobeFor(c), rerankFor(c, k), IndexPolicy.rerankZ());
        return found.size() >= k ? found : exact.search(query, k, filter);
    }

    /** Exact scores of the known ids the filter allows (those the index holds), best first. */
    private List<ScoredId> scoreFew(float[] query, int k, BitSet ids, SearchFilter filter) {
        VectorMath.requireVector(query, exact.dimension(), "the query vector");
        TopK top = new TopK(k);
        for (int id = ids.nextSetBit(0); id >= 0; id = ids.nextSetBit(id + 1)) {
            if (filter.allows(id)) {
                float s = exact.dot(id, query);
                if (!Float.isNaN(s)) { // NaN: not in the index (not indexed yet, or another model's)
                    top.offer(id, s);
                }
            }
        }
        return top.toList();
    }

    /** Lists visited per photo by the duplicate scan: copies sit in their photo's list or one beside it. */
    static final int DUPLICATE_NPROBE = 8;
    /** Candidates per neighbour re-ranked exactly by the duplicate scan. */
    static final int DUPLICATE_RERANK = 4;

    /**
     * Nearest neighbours for the duplicate scan ({@link DuplicateFinder#pairsAbove(VectorRows, float,
     * DuplicateFinder.Neighbours, int)}): the compact codes searched with {@value #DUPLICATE_NPROBE} lists and
     * k·{@value #DUPLICATE_RERANK} candidates re-ranked with the full vectors — a photo's copies are among its very
     * nearest, so a search far cheaper than a query's finds them. Null while there are no compact codes (below the
     * size threshold, exact chosen, codes not ready): the caller then compares every pair, exactly.
     */
    public DuplicateFinder.Neighbours neighbours() {
        PqIndex c = codes();
        if (c == null) {
            return null;
        }
        int nprobe = Math.min(c.config().nlist() == 0 ? 1 : c.config().nlist(), DUPLICATE_NPROBE);
        return (v, k) -> c.search(v, k, null, nprobe, DUPLICATE_RERANK);
    }

    @Override
    public int dimension() {
        return exact.dimension();
    }

    @Override
    public int size() {
        return exact.size();
    }

    /** The full-vector tier (every vector). */
    public FullVectors exact() {
        return exact;
    }

    /** {@code "ivfpq"} or {@code "spq"} (the user's trained codes) when searches use compact codes, else {@code "exact"}. */
    public String kind() {
        PqIndex c = codes();
        return c == null ? "exact" : c.encoder() instanceof SpqModel ? "spq" : "ivfpq";
    }

    /** Whether codes are being loaded or built in the background. */
    public boolean building() {
        return building;
    }

    /** For status lines: what searches use, and why. */
    public String describe() {
        PqIndex c = codes();
        TrainedCodes t = trained;
        if (c != null && c.encoder() instanceof SpqModel) {
            return String.format(Locale.ROOT, "spq (trained on your photos, %s; %d B/photo, rerank %d; %s)%s",
                    t == null ? "PQ again once rebuilt" : t.summary(), c.codeBytes(), rerankFor(c), lastSource,
                    building ? "; rebuilding in the background" : "");
        }
        if (c != null) {
            PqConfig cfg = c.config();
            double p = buildProgress;
            double r = lastRecall;
            return String.format(Locale.ROOT, "ivfpq (%d B/photo, nlist %d, nprobe %d, rerank %d; %s%s)%s",
                    c.codeBytes(), cfg.nlist(), nprobeFor(c), rerankFor(c), lastSource,
                    Double.isNaN(r) ? "" : String.format(Locale.ROOT, "; recall self-check %.2f", r),
                    !building ? "" : t != null ? "; SPQ codes being built in the background"
                            : p < 0 ? "; retraining in the background"
                            : String.format(Locale.ROOT, "; retraining in the background: %d%%", Math.round(p * 100)));
        }
        if (choice == IndexChoice.EXACT) {
            return "exact (chosen in Settings)";
        }
        if (building) {
            double p = buildProgress;
            return p < 0 ? "exact (compact codes being prepared in the background)"
                    : String.format(Locale.ROOT, "exact (compact codes being prepared in the background: %d%%)",
                    Math.round(p * 100));
        }
        return choice == IndexChoice.COMPACT && exact.size() < IndexFactory.MIN_TRAINING_VECTORS
                ? "exact (compact codes need at least " + IndexFactory.MIN_TRAINING_VECTORS + " photos)" : "exact";
    }

    /** Waits until no background work is pending (tests, benchmarks); true when it finished in time. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (building || recallChecking) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    String lastSource() {
        return lastSource;
    }

    /** How many photos the compact codes in use were trained on, or 0 (tests). */
    int codesTrainedOn() {
        PqIndex c = compact;
        return c == null ? 0 : c.trainedSize();
    }

    /** RAM per photo held by the code tier (code, id, id table), or 0 while exact search is used. */
    public double codeBytesHeldPerPhoto() {
        PqIndex c = compact;
        return c == null ? 0 : c.bytesPerCodeHeld();
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exact instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the full vectors of {}: {}", modelId, e.getMessage());
            }
        }
    }
}
