package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * CLIP's text tower as a separate ONNX model, in the layout of the common public exports (e.g.
 * Xenova/clip-vit-base-patch32 {@code onnx/text_model.onnx}): input {@code input_ids} int64 [N,77]
 * (and {@code attention_mask} int64 [N,77] where the export declares it; the Xenova export does not,
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

    /** One tokenized text. */
    record Row(long[] ids, long[] mask) {
    }

    /**
     * Loads the tokenizer and the text tower and checks them at once.
     *
     * @throws OcularException when a file is missing, broken, or the model is of the wrong shape
     */
    public ClipTextEncoder(String modelId, Path textModel, Path tokenizerJson, int dimension) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.tokenizer = new ClipTokenizer(tokenizerJson);
        String what = "CLIP text model";
        try {
            this.tower = new ClipOnnxTower<>(what, textModel, names -> new TextTranslator(what, names));
        } catch (OcularException e) {
            tokenizer.close();
            throw e;
        }
        try {
            if (!tower.inputNames().contains(IDS)) {
                throw new OcularException("The CLIP text model " + textModel + " has no input '" + IDS
                        + "' (inputs: " + tower.inputNames() + "). It is not a CLIP text export this app can use.");
            }
            Set<String> unknown = new java.util.HashSet<>(tower.inputNames());
            unknown.remove(IDS);
            unknown.remove(MASK);
            if (!unknown.isEmpty()) {
                throw new OcularException("The CLIP text model " + textModel + " wants inputs this app does not"
                        + " provide: " + unknown + ".");
            }
            float[] probe = encodeText(List.of("a photo"))[0];
            tower.checkDimension(probe, dimension);
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

    private record TextTranslator(String what, Set<String> inputNames) implements Translator<Row, float[]> {
        @Override
        public NDList processInput(TranslatorContext ctx, Row row) {
            NDArray ids = ctx.getNDManager().create(row.ids());
            ids.setName(IDS);
            if (!inputNames.contains(MASK)) {
                return new NDList(ids);
            }
            NDArray mask = ctx.getNDManager().create(row.mask());
            mask.setName(MASK);
            return new NDList(ids, mask);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return ClipOnnxTower.vectorOutput(list, OUTPUT, what);
        }
    }
}
