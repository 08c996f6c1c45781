package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the encoder for a model id: the built-in descriptor ({@value BuiltinDescriptor#MODEL_ID}) or an
 * installed model, by the {@link ModelManifest#encoder() encoder type} its manifest names. Immutable;
 * {@link #withImageEncoder}/{@link #withTextEncoder} return a registry that also knows another encoder
 * type (this is how CLIP-style encoders plug in, from the composition root).
 */
public final class EncoderRegistry {

    /** Opens an image encoder for an installed model of one encoder type. */
    @FunctionalInterface
    public interface ImageEncoderFactory {
        ImageEncoder open(InstalledModel model);
    }

    /** Opens a text encoder for an installed model of one encoder type. */
    @FunctionalInterface
    public interface TextEncoderFactory {
        TextEncoder open(InstalledModel model);
    }

    private final ModelStore store;
    private final EmbeddingSpaces spaces = new EmbeddingSpaces(ModelCatalogue.builtIn());
    private final Map<String, ImageEncoderFactory> imageFactories;
    private final Map<String, TextEncoderFactory> textFactories;

    /**
     * A registry that knows the built-in descriptor, CNN feature models ({@link OnnxImageEncoder}) and
     * CLIP pairs ({@link ClipImageEncoder}, {@link ClipTextEncoder}).
     */
    public EncoderRegistry(ModelStore store) {
        this(store,
                Map.of(ModelManifest.ENCODER_CNN_AVGPOOL, OnnxImageEncoder::new,
                        ModelManifest.ENCODER_CLIP, m -> new ClipImageEncoder(m.manifest().id(),
                                m.file(ClipModel.VISION_FILE), m.manifest().dimension())),
                Map.of(ModelManifest.ENCODER_CLIP, m -> new ClipTextEncoder(m.manifest().id(),
                        m.file(ClipModel.TEXT_FILE), m.file(ClipModel.TOKENIZER_FILE), m.manifest().dimension(),
                        TokenIdType.parse(m.manifest().properties().get(TokenIdType.PROPERTY))),
                        MultilingualTextEncoder.ENCODER, MultilingualTextEncoder::open));
    }

    public EncoderRegistry(ModelStore store, Map<String, ImageEncoderFactory> imageFactories,
                           Map<String, TextEncoderFactory> textFactories) {
        this.store = store;
        this.imageFactories = Map.copyOf(imageFactories);
        this.textFactories = Map.copyOf(textFactories);
    }

    /** This registry plus an image encoder type. */
    public EncoderRegistry withImageEncoder(String encoderType, ImageEncoderFactory factory) {
        Map<String, ImageEncoderFactory> m = new HashMap<>(imageFactories);
        m.put(encoderType, factory);
        return new EncoderRegistry(store, m, textFactories);
    }

    /** This registry plus a text encoder type. */
    public EncoderRegistry withTextEncoder(String encoderType, TextEncoderFactory factory) {
        Map<String, TextEncoderFactory> m = new HashMap<>(textFactories);
        m.put(encoderType, factory);
        return new EncoderRegistry(store, imageFactories, m);
    }

    /** The built-in descriptor first, then every installed model this registry can open, by id. */
    public List<ModelInfo> available() {
        List<ModelInfo> out = new ArrayList<>();
        out.add(BuiltinDescriptor.info());
        for (InstalledModel m : store.list()) {
            if (canOpen(m.manifest())) {
                out.add(m.manifest().toModelInfo());
            }
        }
        return out;
    }

    /** The model with this id, if it is built in or installed. */
    public Optional<ModelInfo> info(String modelId) {
        if (BuiltinDescriptor.MODEL_ID.equals(modelId)) {
            return Optional.of(BuiltinDescriptor.info());
        }
        return store.get(modelId).map(m -> m.manifest().toModelInfo());
    }

    /**
     * Opens the image encoder of a model. The caller closes it.
     *
     * @throws OcularException when the model is not installed, embeds no images, or is of an encoder
     *                         type this version of Ocular cannot run
     */
    public ImageEncoder openImageEncoder(String modelId) {
        if (BuiltinDescriptor.MODEL_ID.equals(modelId)) {
            return new BuiltinDescriptor();
        }
        InstalledModel m = installed(modelId);
        ModelManifest mf = m.manifest();
        ImageEncoderFactory f = imageFactories.get(mf.encoder());
        if (mf.kind() == ModelKind.TEXT) {
            throw new OcularException("Model '" + modelId + "' is a text model only: it searches the photos of"
                    + " an image model of its space (" + spaces.spaceOf(mf) + ") by words. Keep that image model"
                    + " active and choose '" + modelId + "' as its text model (ocular search --text-model "
                    + modelId + ").");
        }
        if (f == null) {
            throw new OcularException("Model '" + modelId + "' cannot embed images with this version of Ocular"
                    + " (model kind " + mf.kind() + ", encoder type '" + mf.encoder() + "').");
        }
        return f.open(m);
    }

    /**
     * Opens the text encoder of a model (same vector space as its image encoder). The caller closes it.
     *
     * @throws OcularException when the model is not installed or cannot embed text
     */
    public TextEncoder openTextEncoder(String modelId) {
        if (BuiltinDescriptor.MODEL_ID.equals(modelId)) {
            throw new OcularException("The built-in descriptor cannot search by text. Download or import a"
                    + " text-capable model (e.g. CLIP) to search by words.");
        }
        InstalledModel m = installed(modelId);
        ModelManifest mf = m.manifest();
        TextEncoderFactory f = textFactories.get(mf.encoder());
        if (mf.kind() == ModelKind.IMAGE || f == null) {
            throw new OcularException("Model '" + modelId + "' cannot search by text (model kind " + mf.kind()
                    + "). Download or import a text-capable model (e.g. CLIP) to search by words.");
        }
        return f.open(m);
    }

    /**
     * The text models that can search {@code imageModelId}'s vectors: its own text tower first (if it
     * has one), then every installed text model of the same {@link EmbeddingSpaces space} and dimension.
     * Empty for the built-in descriptor, a model that is not installed, or one without any.
     */
    public List<ModelInfo> textModelsFor(String imageModelId) {
        Optional<InstalledModel> image = store.get(imageModelId);
        if (image.isEmpty()) {
            return List.of();
        }
        ModelManifest imf = image.get().manifest();
        List<ModelInfo> out = new ArrayList<>();
        if (imf.kind() == ModelKind.IMAGE_TEXT && textFactories.containsKey(imf.encoder())) {
            out.add(imf.toModelInfo());
        }
        String space = spaces.spaceOf(imf);
        for (InstalledModel m : store.list()) {
            ModelManifest mf = m.manifest();
            if (mf.kind() == ModelKind.TEXT && textFactories.containsKey(mf.encoder())
                    && mf.dimension() == imf.dimension() && space.equals(spaces.spaceOf(mf))) {
                out.add(mf.toModelInfo());
            }
        }
        return out;
    }

    /** The embedding space of an installed model (its id when it declares none). */
    public Optional<String> spaceOf(String modelId) {
        return store.get(modelId).map(m -> spaces.spaceOf(m.manifest()));
    }

    /**
     * Opens the text towers that can search {@code imageModelId}'s vectors, {@code preferred} in use (or
     * the first choice). The caller closes them.
     *
     * @return empty when the model has no text tower and no installed companion
     * @throws OcularException when the chosen tower cannot be opened
     */
    public Optional<TextTowers> openTextTowers(String imageModelId, String preferred) {
        List<ModelInfo> choices = textModelsFor(imageModelId);
        if (choices.isEmpty()) {
            return Optional.empty();
        }
        int dim = store.get(imageModelId).orElseThrow().manifest().dimension();
        return Optional.of(new TextTowers(imageModelId, dim, choices, preferred, this::openTextEncoder));
    }

    private boolean canOpen(ModelManifest mf) {
        return imageFactories.containsKey(mf.encoder()) || textFactories.containsKey(mf.encoder());
    }

    private InstalledModel installed(String modelId) {
        return store.get(modelId).orElseThrow(() -> new OcularException("Model '" + modelId
                + "' is not installed (or its files are damaged). Install it again from the model settings."));
    }
}
