package io.ocular.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ocular.model.OcularException;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * CLIP's image tower as a separate ONNX model, in the layout of the common public exports (e.g.
 * Xenova/clip-vit-base-patch32 {@code onnx/vision_model.onnx}): input {@code pixel_values} float32
 * [N,3,224,224], output {@code image_embeds} float32 [N,dimension] (the projected embedding). Images are
 * preprocessed exactly as CLIP's ({@link ClipPreprocessor}) and vectors L2-normalised. Thread-safe.
 */
public final class ClipImageEncoder implements ImageEncoder {

    static final String INPUT = "pixel_values";
    static final String OUTPUT = "image_embeds";

    private final String modelId;
    private final int dimension;
    private final ClipOnnxTower<BufferedImage> tower;

    /**
     * Loads the image tower and checks it at once: it must take {@code pixel_values} and turn one image
     * into one vector of {@code dimension} numbers.
     *
     * @throws OcularException when the file is missing, broken, or of the wrong shape
     */
    public ClipImageEncoder(String modelId, Path visionModel, int dimension) {
        this.modelId = modelId;
        this.dimension = dimension;
        String what = "CLIP image model";
        this.tower = new ClipOnnxTower<>(what, visionModel, OUTPUT, names -> ClipImageEncoder::toInputs);
        if (!tower.inputNames().contains(INPUT)) {
            tower.close();
            throw new OcularException("The CLIP image model " + visionModel + " has no input '" + INPUT
                    + "' (inputs: " + tower.inputNames() + "). It is not a CLIP image export this app can use.");
        }
        float[] probe;
        try {
            probe = tower.run(List.of(new BufferedImage(ClipPreprocessor.SIZE, ClipPreprocessor.SIZE,
                    BufferedImage.TYPE_INT_RGB)))[0];
        } catch (OcularException e) {
            tower.close();
            throw e;
        }
        tower.checkDimension(probe, dimension);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /**
     * Twice CLIP's input size: the decoder brings photos to about this size (subsampled decode, then a
     * Java2D shrink), and {@link ClipPreprocessor}'s Pillow-exact bicubic does the last 2:1 with its
     * antialiasing filter, as Pillow does on the full photo. Asking for 224 itself left the bicubic
     * nothing to do (measured in ClipFullSizeParityTest).
     */
    static final int PREFERRED_SHORT_SIDE = 2 * ClipPreprocessor.SIZE;

    @Override
    public int preferredShortSide() {
        return PREFERRED_SHORT_SIDE;
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        if (images.isEmpty()) {
            return new float[0][];
        }
        for (BufferedImage image : images) {
            if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                throw new OcularException("Cannot embed an empty image.");
            }
        }
        return tower.run(images);
    }

    @Override
    public void close() {
        tower.close();
    }

    /** One [N,3,224,224] float tensor for the whole batch. */
    private static NDList toInputs(NDManager manager, List<BufferedImage> images) {
        int plane = 3 * ClipPreprocessor.SIZE * ClipPreprocessor.SIZE;
        float[] batch = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(ClipPreprocessor.toTensor(images.get(i)), 0, batch, i * plane, plane);
        }
        NDArray a = manager.create(batch, new Shape(images.size(), 3, ClipPreprocessor.SIZE, ClipPreprocessor.SIZE));
        a.setName(INPUT);
        return new NDList(a);
    }
}
