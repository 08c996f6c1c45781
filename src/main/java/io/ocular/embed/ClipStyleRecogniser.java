package io.ocular.embed;

import io.ocular.model.OcularException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Tells which part of a CLIP-style model a hand-downloaded file is, from its content, not its name:
 * <ul>
 *   <li>{@link Role#CLIP_VISION}: ONNX with input {@code pixel_values} float [N,3,H,W] and output
 *       {@code image_embeds} [N,D] (Xenova/clip-* {@code onnx/vision_model*.onnx});</li>
 *   <li>{@link Role#CLIP_TEXT}: ONNX with input {@code input_ids} (and maybe {@code attention_mask}) and
 *       output {@code text_embeds} [N,D] (Xenova {@code onnx/text_model*.onnx});</li>
 *   <li>{@link Role#TRANSFORMER_TEXT}: ONNX with inputs {@code input_ids}, {@code attention_mask} and
 *       output {@code last_hidden_state} [N,S,H] (a sentence-transformers export such as
 *       clip-ViT-B-32-multilingual-v1 {@code onnx/model*.onnx});</li>
 *   <li>{@link Role#DENSE}: safetensors with {@code linear.weight} [D,H] (its {@code 2_Dense/model.safetensors});</li>
 *   <li>{@link Role#BPE_TOKENIZER} / {@link Role#WORDPIECE_TOKENIZER}: a {@code tokenizer.json} that CLIP's
 *       tokenizer or a BERT WordPiece tokenizer accepts.</li>
 * </ul>
 */
final class ClipStyleRecogniser {

    enum Role { CLIP_VISION, CLIP_TEXT, TRANSFORMER_TEXT, DENSE, BPE_TOKENIZER, WORDPIECE_TOKENIZER }

    /**
     * What a file is.
     *
     * @param width the vector length (D) of a tower or Dense output, the hidden size (H) of a transformer,
     *              0 for a tokenizer; -1 when the graph leaves it symbolic
     */
    record Recognised(Path file, Role role, int width, String description) {
    }

    private final OnnxModelInspector inspector = new OnnxModelInspector();

    /** The role of {@code file}, or empty when it is none of the above (the reason is in the log only). */
    Optional<Recognised> recognise(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".onnx")) {
                return onnx(file);
            }
            if (name.endsWith(".safetensors")) {
                DenseProjection d = DenseProjection.read(file, 0, -1);
                return Optional.of(new Recognised(file, Role.DENSE, d.outputSize(),
                        "Dense " + d.inputSize() + " → " + d.outputSize()));
            }
            if (name.endsWith(".json")) {
                return tokenizer(file);
            }
        } catch (OcularException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private Optional<Recognised> onnx(Path file) {
        OnnxModelInspector.Signature sig = inspector.signature(file);
        Optional<OnnxModelInspector.TensorSpec> pixels = input(sig, ClipImageEncoder.INPUT);
        Optional<OnnxModelInspector.TensorSpec> imageEmbeds = output(sig, ClipImageEncoder.OUTPUT);
        if (pixels.isPresent() && imageEmbeds.isPresent() && sig.inputs().size() == 1
                && pixels.get().shape().size() == 4 && imageEmbeds.get().shape().size() == 2) {
            return Optional.of(new Recognised(file, Role.CLIP_VISION, width(imageEmbeds.get(), 1), sig.toString()));
        }
        Optional<OnnxModelInspector.TensorSpec> ids = input(sig, ClipTextEncoder.IDS);
        Optional<OnnxModelInspector.TensorSpec> textEmbeds = output(sig, ClipTextEncoder.OUTPUT);
        boolean onlyTextInputs = sig.inputs().stream().allMatch(i -> i.name().equals(ClipTextEncoder.IDS)
                || i.name().equals(ClipTextEncoder.MASK));
        if (ids.isPresent() && textEmbeds.isPresent() && onlyTextInputs && textEmbeds.get().shape().size() == 2) {
            return Optional.of(new Recognised(file, Role.CLIP_TEXT, width(textEmbeds.get(), 1), sig.toString()));
        }
        Optional<OnnxModelInspector.TensorSpec> hidden = output(sig, MultilingualTextEncoder.OUTPUT);
        if (ids.isPresent() && input(sig, MultilingualTextEncoder.MASK).isPresent() && sig.inputs().size() == 2
                && hidden.isPresent() && hidden.get().shape().size() == 3) {
            return Optional.of(new Recognised(file, Role.TRANSFORMER_TEXT, width(hidden.get(), 2), sig.toString()));
        }
        return Optional.empty();
    }

    private static Optional<Recognised> tokenizer(Path file) {
        try (ClipTokenizer t = new ClipTokenizer(file)) {
            return Optional.of(new Recognised(file, Role.BPE_TOKENIZER, 0, t.toString()));
        } catch (OcularException notClip) {
            try (WordPieceTokenizer w = new WordPieceTokenizer(file)) {
                return Optional.of(new Recognised(file, Role.WORDPIECE_TOKENIZER, 0, w.toString()));
            } catch (OcularException notBert) {
                return Optional.empty();
            }
        }
    }

    private static int width(OnnxModelInspector.TensorSpec t, int axis) {
        long w = t.shape().get(axis);
        return w > 0 && w <= 65_536 ? (int) w : -1;
    }

    private static Optional<OnnxModelInspector.TensorSpec> input(OnnxModelInspector.Signature s, String name) {
        return s.inputs().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static Optional<OnnxModelInspector.TensorSpec> output(OnnxModelInspector.Signature s, String name) {
        return s.outputs().stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
