package io.ocular.cli;

import io.ocular.engine.Engine;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular models import mobilenetv2-12-int8.onnx}: the Model Zoo's original becomes the photo model. */
class PhotoModelImportCliTest {
    @TempDir
    Path tmp;

    @Test
    void importingTheZooFileInstallsTheDerivedPhotoModel() throws Exception {
        Path zoo = SharedData.require("models/mobilenetv2-int8/mobilenetv2-12-int8.onnx");
        Path data = tmp.resolve("data");

        CliRun r = CliRun.run(Engine::open, "--data-dir", data.toString(), "models", "import", zoo.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Installed model 'mobilenetv2-int8'").contains("1280-d");
        Path installed = data.resolve("models/mobilenetv2-int8/model.onnx");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(installed))))
                .isEqualTo("a7bb54a137785902a4e7349ba8ddeb38ee8fbd3fd87644ec5339023c6ca68fb4");
    }
}
