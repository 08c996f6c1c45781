package io.ocular.embed;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.ocular.model.OcularException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An ONNX model run on raw tensors (no translator): what the feature-map readers ({@link LocalFeatureExtractor},
 * {@link FeatureMapEncoder}) load the same way, with one predictor and a manager for their input arrays.
 *
 * @param model     the loaded model (closed by its owner)
 * @param predictor one predictor, shared by the owner's callers
 * @param manager   the owner's manager for input arrays
 */
record RawOnnxModel(ZooModel<NDList, NDList> model, PredictorPool<NDList, NDList> predictor, NDManager manager) {

    /**
     * @param what    the model in messages ("local feature model")
     * @param threads ONNX Runtime intra-op threads
     * @throws OcularException naming the file and what to do when it does not load
     */
    static RawOnnxModel load(Path modelFile, String what, int threads) {
        try {
            Criteria<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(modelFile)
                    .optEngine("OnnxRuntime")
                    .optTranslator(new NoopTranslator())
                    .optOption("intraOpNumThreads", Integer.toString(threads))
                    .optOption("interOpNumThreads", "1")
                    .build();
            ZooModel<NDList, NDList> model = criteria.loadModel();
            return new RawOnnxModel(model, new PredictorPool<>(what, model::newPredictor, 1),
                    NDManager.newBaseManager("OnnxRuntime"));
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new OcularException("Could not load the " + what + " " + modelFile.getFileName()
                    + " (" + e.getMessage() + "). Re-import the model.", e);
        }
    }
}
