package io.ocular.embed;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes everything Ocular reads about models from outside: ONNX files (the inspector, through ONNX
 * Runtime), model packs (.zip with manifest.json, extracted into the model store), the model catalogue JSON,
 * and manifests found in the model folder. Each input either works or fails with {@link OcularException}
 * (or {@link IOException} where the API declares it) and a message; nothing is ever written outside the model
 * folder. Seeds and regression inputs: {@code src/test/resources/io/ocular/embed/ModelFilesFuzzTestInputs/}.
 */
@Tag("fuzz")
class ModelFilesFuzzTest {
    private static final Path SANDBOX = tempDir();
    private static final Path MODELS = SANDBOX.resolve("models");
    private static final OnnxModelInspector INSPECTOR = new OnnxModelInspector();
    private static final ModelStore STORE = ModelStore.inModelsFolder(MODELS, INSPECTOR);

    @FuzzTest(maxDuration = "2m")
    void onnxInspector(byte[] data) throws IOException {
        Path f = SANDBOX.resolve("fuzz.onnx");
        Files.write(f, data);
        try {
            RecognisedModel m = INSPECTOR.recognise(f, "fuzz.onnx");
            assertThat(m.dimension()).isPositive();
        } catch (OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /**
     * Raw mode: the input is the .zip. Structured mode: the harness zips (name, bytes) entries chosen by the
     * fuzzer, one of them usually manifest.json, so that the fuzzer reaches the manifest and path checks.
     */
    @FuzzTest(maxDuration = "2m")
    void modelPack(FuzzedDataProvider in) throws IOException {
        Path zip = SANDBOX.resolve("fuzz-pack.zip");
        if (in.consumeBoolean()) {
            Files.write(zip, in.consumeRemainingAsBytes());
        } else {
            Files.write(zip, structuredZip(in));
        }
        try {
            InstalledModel m = STORE.importPack(zip);
            assertThat(m.directory()).startsWith(MODELS);
            STORE.remove(m.manifest().id());
        } catch (OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        assertNothingOutsideModels();
    }

    @FuzzTest(maxDuration = "2m")
    void catalogueJson(byte[] data) {
        try {
            ModelCatalogue c = ModelCatalogue.read(new ByteArrayInputStream(data));
            for (ModelCatalogue.Entry e : c.entries()) {
                assertThat(c.find(e.id())).isPresent();
                e.totalSize();
            }
        } catch (IOException | OcularException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** A manifest.json in the model folder: listing the store must ignore a bad one, never fail. */
    @FuzzTest(maxDuration = "2m")
    void installedManifest(byte[] data) throws IOException {
        Path dir = MODELS.resolve("fuzz-model");
        Files.createDirectories(dir);
        Files.write(dir.resolve(ModelStore.MANIFEST), data);
        List<InstalledModel> models = STORE.list();
        for (InstalledModel m : models) {
            assertThat(m.manifest().id()).isEqualTo("fuzz-model");
        }
        STORE.get("fuzz-model");
    }

    private static byte[] structuredZip(FuzzedDataProvider in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            int entries = in.consumeInt(0, 4);
            for (int i = 0; i < entries && in.remainingBytes() > 0; i++) {
                String name = i == 0 && in.consumeBoolean() ? ModelStore.MANIFEST : in.consumeString(40);
                if (name.isEmpty()) {
                    continue;
                }
                try {
                    zip.putNextEntry(new ZipEntry(name));
                } catch (java.util.zip.ZipException duplicate) {
                    continue;
                }
                zip.write(in.consumeBytes(in.consumeInt(0, 4096)));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void assertNothingOutsideModels() throws IOException {
        try (Stream<Path> s = Files.list(SANDBOX)) {
            assertThat(s.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.equals("models") || n.startsWith("fuzz"));
        }
        assertThat(SANDBOX.getParent().resolve("evil")).doesNotExist();
    }

    private static Path tempDir() {
        try {
            Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
            Path sandbox = Files.createTempDirectory(base, "ocular-fuzz-").resolve("sandbox");
            Files.createDirectories(sandbox.resolve("models"));
            return sandbox;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(SANDBOX.getParent())) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
