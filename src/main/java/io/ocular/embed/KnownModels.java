package io.ocular.embed;

import java.util.List;
import java.util.Optional;

/**
 * Model files Ocular knows by checksum: importing one gets a proper id, name and licence, and the code that
 * needs a particular model (instance search needs the MobileNetV2 feature model) finds it by this id. The one
 * place their ids and SHA-256 live.
 */
public final class KnownModels {

    /** A model file known by its SHA-256. */
    public record KnownModel(String id, String sha256, String name, String licence, String source) {
    }

    /** MobileNetV2 1.0 INT8 with its feature maps exposed (the only model with a {@code local_features} output). */
    public static final KnownModel MOBILENETV2_FEATURES = new KnownModel("mobilenetv2-int8",
            "a7bb54a137785902a4e7349ba8ddeb38ee8fbd3fd87644ec5339023c6ca68fb4",
            "MobileNetV2 1.0 INT8 (feature maps)", "Apache-2.0",
            "ONNX Model Zoo mobilenetv2-12-int8, graph edited to expose its feature maps");

    public static final List<KnownModel> ALL = List.of(MOBILENETV2_FEATURES);

    private KnownModels() {
    }

    public static Optional<KnownModel> bySha256(String sha256) {
        return ALL.stream().filter(k -> k.sha256().equalsIgnoreCase(sha256)).findFirst();
    }
}
