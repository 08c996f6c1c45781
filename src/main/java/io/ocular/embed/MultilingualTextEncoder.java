package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A sentence-transformers text tower distilled into a CLIP image space, e.g.
 * {@code sentence-transformers/clip-ViT-B-32-multilingual-v1} (50+ languages into OpenAI CLIP ViT-B/32's
 * space). The ONNX file is the transformer only (inputs {@code input_ids}, {@code attention_mask};
 * output {@code last_hidden_state} [N, seq, hidden]); this class adds what sentence-transformers adds
 * after it, in order: mask-aware {@link MeanPooling mean pooling}, the {@link DenseProjection Dense}
 * projection hidden → dimension, and L2 normalisation. Tokenization is the model's own WordPiece
 * {@code tokenizer.json}, truncated to 128 ids keeping [SEP]. Ids are int64 or int32 as the export
 * declares ({@link TokenIdType}). Thread-safe.
 */
public final class MultilingualTextEncoder implements TextEncoder {

    /** File names inside an installed model folder. */
    public static final String MODEL_FILE = "text_model.onnx";
    public static final String DENSE_FILE = "dense.safetensors";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /** {@link ModelManifest#encoder()} type of these towers (also their catalogue preprocessing tag). */
    public static final String ENCODER = "sbert-clip-text";

    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String OUTPUT = "last_hidden_state";
    private static final String WHAT = "multilingual text model";

    private final String modelId;
    private final int dimension;
    private final WordPieceTokenizer tokenizer;
    private final DenseProjection dense;
    private final ClipOnnxTower<Row> tower;
    private final TokenIdType idType;
    private volatile TokenIdType trying = TokenIdType.INT64;

    /** One tokenized text (ids and mask of the batch's padded length). */
    record Row(long[] ids, long[] mask) {
    }

    /**
     * Loads the tokenizer, the projection and the transformer, and checks them with one probe text.
     *
     * @param declared the id type the model's manifest declares, or null to find it by probing
     * @throws OcularException when a file is missing, broken or of the wrong shape
     */
    public MultilingualTextEncoder(String modelId, Path onnx, Path denseFile, Path tokenizerJson, int dimension,
                                   TokenIdType declared) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.dense = DenseProjection.read(denseFile, 0, dimension);
        this.tokenizer = new WordPieceTokenizer(tokenizerJson);
        try {
            this.tower = new ClipOnnxTower<>(WHAT, onnx, names -> this::toInputs, this::toVectors);
        } catch (OcularException e) {
            tokenizer.close();
            throw e;
        }
        try {
            Set<String> unknown = new HashSet<>(tower.inputNames());
            unknown.remove(IDS);
            unknown.remove(MASK);
            if (!tower.inputNames().contains(IDS) || !tower.inputNames().contains(MASK) || !unknown.isEmpty()) {
                throw new OcularException("The " + WHAT + " " + onnx.getFileName() + " has inputs "
                        + tower.inputNames() + "; a sentence-transformers export with exactly '" + IDS + "' and '"
                        + MASK + "' is needed.");
            }
            this.idType = TokenIdType.probe(declared, t -> trying = t, () -> encodeText(List.of("a photo"))[0]);
            trying = idType;
        } catch (OcularException e) {
            close();
            throw e;
        }
    }

    /** Opens an installed tower (the {@link EncoderRegistry} factory of {@value #ENCODER}). */
    public static MultilingualTextEncoder open(InstalledModel m) {
        ModelManifest mf = m.manifest();
        return new MultilingualTextEncoder(mf.id(), m.file(MODEL_FILE), m.file(DENSE_FILE), m.file(TOKENIZER_FILE),
                mf.dimension(), TokenIdType.parse(mf.properties().get(TokenIdType.PROPERTY)));
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The id type the transformer takes (found at load). */
    public TokenIdType idType() {
        return idType;
    }

    @Override
    public float[][] encodeText(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        WordPieceTokenizer.Batch batch = tokenizer.encodeBatch(texts);
        List<Row> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            rows.add(new Row(batch.ids()[i], batch.attentionMask()[i]));
        }
        return tower.run(rows);
    }

    private NDList toInputs(NDManager manager, List<Row> rows) {
        int len = rows.get(0).ids().length;
        long[] ids = new long[rows.size() * len];
        long[] mask = new long[rows.size() * len];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).ids(), 0, ids, i * len, len);
            System.arraycopy(rows.get(i).mask(), 0, mask, i * len, len);
        }
        TokenIdType type = trying;
        return new NDList(type.tensor(manager, ids, rows.size(), len, IDS),
                type.tensor(manager, mask, rows.size(), len, MASK));
    }

    private float[][] toVectors(NDList outputs, List<Row> rows) {
        NDArray h = null;
        for (NDArray a : outputs) {
            if (OUTPUT.equals(a.getName())) {
                h = a;
            }
        }
        if (h == null) {
            List<NDArray> threeD = outputs.stream().filter(a -> a.getShape().dimension() == 3).toList();
            if (threeD.size() != 1) {
                throw new OcularException("The " + WHAT + " has no output '" + OUTPUT + "' [batch, tokens, hidden];"
                        + " it is not a sentence-transformers transformer export this app can use.");
            }
            h = threeD.get(0);
        }
        Shape s = h.getShape();
        int seq = rows.get(0).ids().length;
        if (s.dimension() != 3 || s.get(0) != rows.size() || s.get(1) != seq || s.get(2) != dense.inputSize()) {
            throw new OcularException("The " + WHAT + " output '" + h.getName() + "' has shape " + s + "; ["
                    + rows.size() + ", " + seq + ", " + dense.inputSize() + "] is needed to match its projection"
                    + " layer (" + dense.inputSize() + " → " + dense.outputSize() + ").");
        }
        float[] flat = h.getDataType() == DataType.FLOAT32 ? h.toFloatArray()
                : h.toType(DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            float[] pooled = MeanPooling.pool(flat, i, seq, dense.inputSize(), rows.get(i).mask());
            out[i] = ClipOnnxTower.l2Normalise(dense.apply(pooled), WHAT);
        }
        return out;
    }

    @Override
    public void close() {
        if (tower != null) {
            tower.close();
        }
        tokenizer.close();
    }
}
