package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.OcularException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The text towers that can search one image model's vectors: its own (CLIP's English tower) and the
 * installed companions of its embedding space (e.g. the multilingual tower), one of them in use. It is
 * the image model's {@link TextEncoder}: {@link #modelId()} is the image model's id, because its vectors
 * are compared with that model's image vectors; {@link #use} changes which tower reads the words, without
 * touching any image vector. Towers open on first use and stay open until {@link #close} (a search in
 * progress may still be using the previous one). Thread-safe.
 */
public final class TextTowers implements TextEncoder {

    /** Catalog setting key prefix: {@code text-model.<imageModelId>} = the text model chosen for it. */
    public static final String SETTING_PREFIX = "text-model.";

    private final String imageModelId;
    private final int dimension;
    private final List<ModelInfo> choices;
    private final Function<String, TextEncoder> opener;
    private final Map<String, TextEncoder> open = new LinkedHashMap<>();
    private volatile String current;
    private volatile TextEncoder currentEncoder;
    private boolean closed;

    /**
     * Opens the first tower at once (so a broken one is reported when the model is opened).
     *
     * @param choices   the compatible text models, in order of preference; not empty
     * @param preferred the tower to use, or null (or one no longer installed) for the first choice
     * @param opener    opens a text model's tower by id
     */
    public TextTowers(String imageModelId, int dimension, List<ModelInfo> choices, String preferred,
                      Function<String, TextEncoder> opener) {
        if (choices.isEmpty()) {
            throw new IllegalArgumentException("no text tower for " + imageModelId);
        }
        this.imageModelId = imageModelId;
        this.dimension = dimension;
        this.choices = List.copyOf(choices);
        this.opener = opener;
        boolean known = preferred != null && choices.stream().anyMatch(c -> c.id().equals(preferred));
        use(known ? preferred : choices.get(0).id());
    }

    /** Setting key holding the chosen text model of {@code imageModelId}. */
    public static String settingKey(String imageModelId) {
        return SETTING_PREFIX + imageModelId;
    }

    /** The text models that can search this image model's vectors. */
    public List<ModelInfo> choices() {
        return choices;
    }

    /** The id of the text model in use. */
    public String current() {
        return current;
    }

    /**
     * Makes {@code textModelId} read the words of the next searches.
     *
     * @throws OcularException when it is not a text tower of this image model's space, or cannot be opened
     *                         (the tower in use stays then)
     */
    public synchronized void use(String textModelId) {
        if (closed) {
            throw new OcularException("The text models of '" + imageModelId + "' have been closed.");
        }
        if (choices.stream().noneMatch(c -> c.id().equals(textModelId))) {
            throw new OcularException("'" + textModelId + "' cannot search the photos indexed with '" + imageModelId
                    + "' (its words would land in another vector space). Text models for '" + imageModelId + "': "
                    + choices.stream().map(ModelInfo::id).collect(Collectors.joining(", ")) + ".");
        }
        TextEncoder enc = open.get(textModelId);
        if (enc == null) {
            enc = opener.apply(textModelId);
            if (enc.dimension() != dimension) {
                enc.close();
                throw new OcularException("The text model '" + textModelId + "' makes " + enc.dimension()
                        + "-dimensional vectors; '" + imageModelId + "' needs " + dimension + ".");
            }
            open.put(textModelId, enc);
        }
        currentEncoder = enc;
        current = textModelId;
    }

    @Override
    public String modelId() {
        return imageModelId;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] encodeText(List<String> texts) {
        return currentEncoder.encodeText(texts);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (TextEncoder e : open.values()) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                first = first == null ? ex : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
