package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CLIP's text tower as a separate ONNX model, in the layout of the common public exports (e.g.
 * Xenova/clip-vit-base-patch32 {@code onnx/text_model.onnx}): input {@code input_ids} int64 (or int32,
 * see {@link TokenIdType}) [N,77] (and {@code attention_mask} of the same type where the export declares it; the Xenova export does not,
 * since CLIP pools at the end token), output {@code text_embeds} float32 [N,dimension]. Vectors are
 * L2-normalised. Owns its {@link ClipTokenizer}. Thread-safe.
 */
public final class ClipTextEncoder implements TextEncoder {

    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String OUTPUT = "text_embeds";

    private final String modelId;
    private final int dimension;
    private final ClipTokenizer tokenizer;
    private final ClipOnnxTower<Row> tower;
    private final TokenIdType idType;
    private volatile TokenIdType trying = TokenIdType.INT64;

    /** One tokenized text. */
    record Row(long[] ids, long[] mask) {
    }

    /**
     * Loads the tokenizer and the text tower and checks them at once.
     *
     * @throws OcularException when a file is missing, broken, or the model is of the wrong shape
     */
    public ClipTextEncoder(String modelId, Path textModel, Path tokenizerJson, int dimension) {
        this(modelId, textModel, tokenizerJson, dimension, null);
    }

    /**
     * Loads the tokenizer and the text tower, whose ids are of the {@code declared} type (int64 or int32;
     * null: found by the load-time probe), and checks them at once.
     *
     * @throws OcularException when a file is missing, broken, or the model is of the wrong shape
     */
    public ClipTextEncoder(String modelId, Path textModel, Path tokenizerJson, int dimension, TokenIdType declared) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.tokenizer = new ClipTokenizer(tokenizerJson);
        String what = "CLIP text model";
        try {
            this.tower = new ClipOnnxTower<>(what, textModel, OUTPUT,
                    names -> (manager, rows) -> toInputs(manager, rows, names.contains(MASK), trying));
        } catch (OcularException e) {
            tokenizer.close();
            throw e;
        }
        try {
            if (!tower.inputNames().contains(IDS)) {
                throw new OcularException("The CLIP text model " + textModel + " has no input '" + IDS
                        + "' (inputs: " + tower.inputNames() + "). It is not a CLIP text export this app can use.");
            }
            Set<String> unknown = new HashSet<>(tower.inputNames());
            unknown.remove(IDS);
            unknown.remove(MASK);
            if (!unknown.isEmpty()) {
                throw new OcularException("The CLIP text model " + textModel + " wants inputs this app does not"
                        + " provide: " + unknown + ".");
            }
            float[][] probe = new float[1][];
            this.idType = TokenIdType.probe(declared, t -> trying = t,
                    () -> probe[0] = encodeText(List.of("a photo"))[0]);
            trying = idType;
            tower.checkDimension(probe[0], dimension);
        } catch (OcularException e) {
            close();
            throw e;
        }
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] encodeText(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        ClipTokenizer.Batch batch = tokenizer.encodeBatch(texts);
        List<Row> rows = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            rows.add(new Row(batch.ids()[i], batch.attentionMask()[i]));
        }
        return tower.run(rows);
    }

    @Override
    public void close() {
        tower.close();
        tokenizer.close();
    }

    /** The id type the text tower takes (found at load). */
    public TokenIdType idType() {
        return idType;
    }

    /** One [N,77] tensor of ids (and one of masks where the export takes it) for the whole batch. */
    private static NDList toInputs(NDManager manager, List<Row> rows, boolean withMask, TokenIdType type) {
        int len = ClipTokenizer.CONTEXT_LENGTH;
        long[] ids = new long[rows.size() * len];
        long[] mask = new long[rows.size() * len];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).ids(), 0, ids, i * len, len);
            System.arraycopy(rows.get(i).mask(), 0, mask, i * len, len);
        }
        NDArray idArray = type.tensor(manager, ids, rows.size(), len, IDS);
        if (!withMask) {
            return new NDList(idArray);
        }
        return new NDList(idArray, type.tensor(manager, mask, rows.size(), len, MASK));
    }
}
