package io.ocular.embed;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One ONNX model of a CLIP pair (image tower or text tower) run by DJL's ONNX Runtime engine, with one
 * {@link Predictor} per concurrent caller from a {@link PredictorPool} (DJL predictors are not thread-safe;
 * the model is). Batching is
 * real: {@link #run} builds one [N,...] tensor per input straight from Java arrays and sends the whole
 * batch through the model in one call. (DJL's STACK batchifier cannot be used: ONNX Runtime's NDArray
 * has no stack operation, and this app runs ONNX Runtime without an alternative engine.) Closing closes
 * every predictor before the model.
 *
 * @param <I> one input item (an image, a tokenized text)
 */
final class ClipOnnxTower<I> implements AutoCloseable {

    /** Largest batch sent to the model at once (bounds memory for long lists). */
    static final int MAX_BATCH = 32;

    private final String what;
    private final Path file;
    private final Model model;
    private final Translator<List<I>, float[][]> translator;
    private final Set<String> inputNames;
    private final PredictorPool<List<I>, float[][]> predictors;
    private volatile boolean closed;

    ClipOnnxTower(String what, Path file, String outputName, InputFactory<I> inputFactory) {
        this(what, file, inputFactory, (list, items) -> vectors(list, outputName, what));
    }

    /** A tower whose outputs are turned into vectors by {@code output} (e.g. pooled and projected). */
    ClipOnnxTower(String what, Path file, InputFactory<I> inputFactory, BatchOutput<I> output) {
        this.what = what;
        this.file = file;
        if (!Files.isRegularFile(file)) {
            throw new OcularException("The " + what + " file is missing: " + file
                    + ". Reinstall the model from the model catalogue.");
        }
        Model m = Model.newInstance(file.getFileName().toString(), "OnnxRuntime");
        try {
            m.load(file);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new OcularException("Could not load the " + what + " " + file + ": " + e.getMessage()
                    + ". The file may be damaged; reinstall the model from the model catalogue.", e);
        }
        this.model = m;
        this.inputNames = Set.copyOf(m.describeInput().keys());
        this.translator = new BatchTranslator<>(inputFactory.create(inputNames), output);
        this.predictors = PredictorPool.perCaller(what, () -> model.newPredictor(translator));
    }

    /** Turns a batch of items into the model's named input tensors, one [N,...] tensor per input. */
    interface BatchInput<I> {
        NDList toInputs(NDManager manager, List<I> items);
    }

    /** Builds the batch input once the model's input names are known. */
    interface InputFactory<I> {
        BatchInput<I> create(Set<String> inputNames);
    }

    /** Turns the model's outputs for a batch into one vector per item. */
    interface BatchOutput<I> {
        float[][] toVectors(NDList outputs, List<I> items);
    }

    private record BatchTranslator<I>(BatchInput<I> input, BatchOutput<I> output)
            implements NoBatchifyTranslator<List<I>, float[][]> {
        private static final String ITEMS = "items";

        @Override
        public NDList processInput(TranslatorContext ctx, List<I> items) {
            ctx.setAttachment(ITEMS, items);
            return input.toInputs(ctx.getNDManager(), items);
        }

        @Override
        @SuppressWarnings("unchecked")
        public float[][] processOutput(TranslatorContext ctx, NDList list) {
            return output.toVectors(list, (List<I>) ctx.getAttachment(ITEMS));
        }
    }

    Set<String> inputNames() {
        return inputNames;
    }

    /** Runs the items through the model, in batches of at most {@link #MAX_BATCH}, one vector per item. */
    float[][] run(List<I> items) {
        if (closed) {
            throw new OcularException("The " + what + " has been closed.");
        }
        float[][] out = new float[items.size()][];
        try {
            predictors.with(predictor -> {
                for (int from = 0; from < items.size(); from += MAX_BATCH) {
                    List<I> chunk = items.subList(from, Math.min(items.size(), from + MAX_BATCH));
                    float[][] vectors = predictor.predict(chunk);
                    if (vectors.length != chunk.size()) {
                        throw new OcularException("The " + what + " returned " + vectors.length + " vectors for "
                                + chunk.size() + " inputs.");
                    }
                    System.arraycopy(vectors, 0, out, from, vectors.length);
                }
                return null;
            });
        } catch (TranslateException | RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof OcularException)) {
                cause = cause.getCause();
            }
            if (cause instanceof OcularException oe) {
                throw oe;
            }
            throw new OcularException("The " + what + " " + file.getFileName() + " failed: " + cause.getMessage(), e);
        }
        return out;
    }

    /**
     * Picks the output named {@code preferred}, or the only output, checks it is [N, dimension] and
     * returns its rows L2-normalised.
     */
    static float[][] vectors(NDList list, String preferred, String what) {
        NDArray chosen = null;
        for (NDArray a : list) {
            if (preferred.equals(a.getName())) {
                chosen = a;
            }
        }
        if (chosen == null) {
            if (list.size() != 1) {
                throw new OcularException("The " + what + " has no output named '" + preferred + "' (outputs: "
                        + names(list) + "). It is not a CLIP export this app can use.");
            }
            chosen = list.singletonOrThrow();
        }
        Shape shape = chosen.getShape();
        if (shape.dimension() != 2) {
            throw new OcularException("The " + what + " output '" + chosen.getName() + "' has shape "
                    + shape + "; a projected embedding of shape [N, dimension] is needed.");
        }
        float[] flat = chosen.getDataType() == DataType.FLOAT32 ? chosen.toFloatArray()
                : chosen.toType(DataType.FLOAT32, false).toFloatArray();
        int n = (int) shape.get(0);
        int d = (int) shape.get(1);
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = l2Normalise(Arrays.copyOfRange(flat, i * d, (i + 1) * d), what);
        }
        return out;
    }

    private static String names(NDList list) {
        List<String> n = new ArrayList<>();
        for (NDArray a : list) {
            n.add(a.getName());
        }
        return n.toString();
    }

    static float[] l2Normalise(float[] v, String what) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new OcularException("The " + what + " produced an unusable vector (zero or not a number).");
        }
        float inv = (float) (1.0 / Math.sqrt(s));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    /** Throws a clear error at load when the probe vector does not have the declared length. */
    void checkDimension(float[] probe, int expected) {
        if (probe.length != expected) {
            close();
            throw new OcularException("The " + what + " " + file + " produces vectors of length " + probe.length
                    + ", but this model is declared with dimension " + expected
                    + ". The file does not belong to this model; reinstall it from the model catalogue.");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        predictors.close();
        model.close();
    }
}
