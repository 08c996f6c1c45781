package io.ocular.embed;

/**
 * Which embedding space a model's vectors live in. Vectors of two models are comparable only when both
 * are in the same space: a text tower of kind TEXT (e.g. the multilingual CLIP text tower) searches the
 * image vectors of every image model of its space without re-indexing. A model declares its space in its
 * manifest ({@link #PROPERTY}); a model installed before spaces existed takes the space of its catalogue
 * entry, and any other model is a space of its own (its id).
 */
public final class EmbeddingSpaces {

    /** {@link ModelManifest#properties()} key of a model's space, e.g. {@code openai-clip-vit-b32}. */
    public static final String PROPERTY = "space";

    private final ModelCatalogue catalogue;

    public EmbeddingSpaces(ModelCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /** The space of an installed model. */
    public String spaceOf(ModelManifest m) {
        String declared = m.properties().get(PROPERTY);
        if (declared != null && !declared.isBlank()) {
            return declared;
        }
        return catalogue.find(m.id()).map(ModelCatalogue.Entry::space).filter(s -> !s.isBlank()).orElse(m.id());
    }
}
