package io.ocular.ui.common;

import java.util.List;
import java.util.Objects;
import io.ocular.model.OcularException;

/**
 * Which text model reads the words of a search ("Search words with: English CLIP | Multilingual"): the active
 * image model's own text tower and the installed companions of its embedding space. Blocking: call on a
 * background thread. The app backs it with the engine (image vectors are never touched); tests with a fake.
 */
public interface TextModels {

    /**
     * One text model that can search the active model's photos.
     *
     * @param own whether it is the image model's own tower (CLIP's English one), not a companion
     */
    record Choice(String id, String name, boolean own) {
        public Choice {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /** The choices (empty when the active model cannot search by words) and the id of the one in use. */
    record Choices(List<Choice> all, String current) {
        public static final Choices NONE = new Choices(List.of(), null);

        public Choices {
            all = List.copyOf(all);
        }
    }

    Choices read();

    /**
     * Makes {@code id} read the words of the next searches, and remembers it for the active model.
     *
     * @throws OcularException with a message to show (e.g. it cannot search these photos)
     */
    void use(String id);

    /** Where there is no engine (demos, tests): no choice. */
    static TextModels none() {
        return new TextModels() {
            @Override
            public Choices read() {
                return Choices.NONE;
            }

            @Override
            public void use(String id) {
                throw new OcularException("There is no text model to choose here.");
            }
        };
    }
}
