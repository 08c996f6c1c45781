package io.ocular.embed;

import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelStoreTest {
    private static final String MOBILENET_SHA = "a7bb54a137785902a4e7349ba8ddeb38ee8fbd3fd87644ec5339023c6ca68fb4";

    @TempDir
    Path dataDir;
    @TempDir
    Path scratch;
    private ModelStore store;

    @BeforeEach
    void open() {
        store = new ModelStore(dataDir);
    }

    static Path resource(String name) {
        try {
            return Path.of(ModelStoreTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path tinyCnn() {
        return resource("tiny-cnn-features.onnx");
    }

    @Test
    void importsTheRealMobileNetV2() {
        InstalledModel m = store.importFile(SharedData.mobileNetV2(), Optional.empty());

        assertThat(store.list()).extracting(x -> x.manifest().id()).containsExactly("mobilenetv2-int8");
        ModelManifest mf = store.get("mobilenetv2-int8").orElseThrow().manifest();
        assertThat(mf.dimension()).isEqualTo(1280);
        assertThat(mf.kind()).isEqualTo(ModelKind.IMAGE);
        assertThat(mf.encoder()).isEqualTo(ModelManifest.ENCODER_CNN_AVGPOOL);
        assertThat(mf.files()).containsExactly(
                new ModelManifest.FileEntry(ModelStore.IMPORTED_ONNX, 3_655_321, MOBILENET_SHA));
        assertThat(mf.preprocessing().inputName()).isEqualTo("input");
        assertThat(mf.preprocessing().outputName()).isEqualTo("global_features");
        assertThat(mf.licence()).isEqualTo("Apache-2.0");
        assertThat(mf.toModelInfo().sha256()).isEqualTo(MOBILENET_SHA);
        assertThat(m.directory()).isEqualTo(store.root().resolve("mobilenetv2-int8"));
        assertThat(m.directory().resolve(ModelStore.MANIFEST)).isRegularFile();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void importsAnUnknownCnnUnderItsFileNameOrAGivenId() throws IOException {
        Path copy = Files.copy(tinyCnn(), scratch.resolve("My Tiny CNN.onnx"));
        InstalledModel byName = store.importFile(copy, Optional.empty());
        InstalledModel byId = store.importFile(copy, Optional.of("tiny"));

        assertThat(byName.manifest().id()).isEqualTo("my-tiny-cnn");
        assertThat(byId.manifest().id()).isEqualTo("tiny");
        assertThat(byId.manifest().dimension()).isEqualTo(8);
        assertThat(byId.manifest().files().get(0).sha256()).isEqualTo(sha256(Files.readAllBytes(copy)));
        assertThat(store.list()).extracting(x -> x.manifest().id()).containsExactly("my-tiny-cnn", "tiny");
        assertThat(copy).exists();
    }

    @Test
    void corruptFilesAreRefusedAndNothingIsInstalled() throws IOException {
        byte[] good = Files.readAllBytes(tinyCnn());
        Path truncated = write("truncated.onnx", Arrays.copyOf(good, good.length / 2));
        byte[] noise = new byte[5000];
        new Random(1).nextBytes(noise);
        Path random = write("random.onnx", noise);
        Path text = write("readme.onnx", "this is not a model\n".getBytes(StandardCharsets.UTF_8));
        Path empty = write("empty.onnx", new byte[0]);

        for (Path bad : List.of(truncated, random, text)) {
            assertThatThrownBy(() -> store.importFile(bad, Optional.empty()))
                    .as(bad.getFileName().toString())
                    .isInstanceOf(OcularException.class)
                    .hasMessageContaining(bad.getFileName().toString())
                    .hasMessageContaining("damaged, incomplete");
        }
        assertThatThrownBy(() -> store.importFile(empty, Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("is empty");
        assertThatThrownBy(() -> store.importFile(scratch.resolve("missing.onnx"), Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> store.importFile(scratch, Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("is not a file");
        assertThat(store.list()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void truncatedMobileNetIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(SharedData.mobileNetV2());
        Path truncated = write("mobilenet-part.onnx", Arrays.copyOf(good, good.length - 1000));
        assertThatThrownBy(() -> store.importFile(truncated, Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("damaged, incomplete");
        assertThat(store.list()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void validOnnxThatIsNoEncoderIsRefused() {
        assertThatThrownBy(() -> store.importFile(resource("not-an-encoder.onnx"), Optional.empty()))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("valid ONNX model but not an image encoder")
                .hasMessageContaining("x float[-1, 4]");
        assertThat(store.list()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void invalidIdIsRefused() {
        for (String id : List.of("../evil", "Upper", "", ".hidden", "a/b", "a".repeat(65))) {
            assertThatThrownBy(() -> store.importFile(tinyCnn(), Optional.of(id)))
                    .as(id).isInstanceOf(OcularException.class).hasMessageContaining("not a valid model id");
        }
        assertThat(store.list()).isEmpty();
    }

    @Test
    void packImportVerifiesChecksums() throws IOException {
        InstalledModel tiny = store.importFile(tinyCnn(), Optional.of("tiny"));
        ModelManifest mf = tiny.manifest();
        byte[] onnx = Files.readAllBytes(tinyCnn());

        Path pack = zip("good.zip", Map.of(ModelStore.MANIFEST, json(mf.withId("packed")), "model.onnx", onnx));
        InstalledModel packed = store.importPack(pack);
        assertThat(packed.manifest().id()).isEqualTo("packed");
        assertThat(Files.readAllBytes(packed.onnxFile())).isEqualTo(onnx);

        byte[] tampered = onnx.clone();
        tampered[tampered.length - 1] ^= 1;
        Path bad = zip("bad.zip", Map.of(ModelStore.MANIFEST, json(mf), "model.onnx", tampered));
        assertThatThrownBy(() -> store.importPack(bad))
                .isInstanceOf(OcularException.class).hasMessageContaining("damaged or not the expected file");

        // the previous model with that id is untouched
        InstalledModel still = store.get("tiny").orElseThrow();
        assertThat(Files.readAllBytes(still.onnxFile())).isEqualTo(onnx);
        assertThat(still.manifest()).isEqualTo(mf);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void packProblemsAreClearErrors() throws IOException {
        ModelManifest mf = store.importFile(tinyCnn(), Optional.of("tiny")).manifest();
        byte[] onnx = Files.readAllBytes(tinyCnn());

        Path slip = zip("slip.zip", Map.of(ModelStore.MANIFEST, json(mf.withId("slip")), "model.onnx", onnx,
                "../../evil.txt", "owned".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> store.importPack(slip))
                .isInstanceOf(OcularException.class).hasMessageContaining("unsafe path '../../evil.txt'");
        assertThat(dataDir.resolve("evil.txt")).doesNotExist();
        assertThat(dataDir.getParent().resolve("evil.txt")).doesNotExist();

        Path noManifest = zip("nomanifest.zip", Map.of("model.onnx", onnx));
        assertThatThrownBy(() -> store.importPack(noManifest))
                .isInstanceOf(OcularException.class).hasMessageContaining("has no manifest.json");

        Path missingFile = zip("missing.zip", Map.of(ModelStore.MANIFEST, json(mf.withId("missing"))));
        assertThatThrownBy(() -> store.importPack(missingFile))
                .isInstanceOf(OcularException.class).hasMessageContaining("lacks the file model.onnx");

        Path garbageManifest = zip("garbage.zip", Map.of(ModelStore.MANIFEST, "{not json".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> store.importPack(garbageManifest))
                .isInstanceOf(OcularException.class).hasMessageContaining("not valid");

        Path notZip = write("model.zip", "hello".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.importPack(notZip))
                .isInstanceOf(OcularException.class).hasMessageContaining("damaged or not a .zip");

        // a manifest whose dimension lies is caught by the test run
        ModelManifest lying = new ModelManifest(1, "liar", "liar", ModelKind.IMAGE, 1280, mf.encoder(),
                mf.files(), mf.preprocessing(), "x", "y", Map.of());
        Path liar = zip("liar.zip", Map.of(ModelStore.MANIFEST, json(lying), "model.onnx", onnx));
        assertThatThrownBy(() -> store.importPack(liar))
                .isInstanceOf(OcularException.class).hasMessageContaining("produces 8-dimensional vectors");

        assertThat(store.list()).extracting(x -> x.manifest().id()).containsExactly("tiny");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aPackWhoseFileNameIsNotUtf8IsRefusedWithAMessage() throws IOException {
        // fuzzing found a name that ZipFile rejects only while listing (IllegalArgumentException: the kept
        // crash input of ModelFilesFuzzTest); one it rejects on opening must read as clearly
        Path pack = scratch.resolve("latin1.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(pack), StandardCharsets.ISO_8859_1)) {
            out.putNextEntry(new ZipEntry("caf\u00e9.onnx"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        assertThatThrownBy(() -> store.importPack(pack))
                .isInstanceOf(OcularException.class).hasMessageContaining("Cannot read model pack latin1.zip");
        assertThat(store.list()).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void zipEntryNamesAreChecked() {
        assertThat(ModelStore.isSafeEntryName("model.onnx")).isTrue();
        assertThat(ModelStore.isSafeEntryName("sub/model.onnx")).isTrue();
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "C:\\x", "c:/x", "a\\..\\x", "..")) {
            assertThat(ModelStore.isSafeEntryName(bad)).as(bad).isFalse();
        }
    }

    @Test
    void installFilesChecksEveryFile() throws IOException {
        ModelManifest mf = store.importFile(tinyCnn(), Optional.of("tiny")).manifest().withId("downloaded");
        Path file = Files.copy(tinyCnn(), scratch.resolve("download.part"));

        InstalledModel m = store.installFiles(mf, Map.of("model.onnx", file));
        assertThat(m.manifest()).isEqualTo(mf);
        assertThat(store.get("downloaded")).isPresent();
        assertThat(file).exists();

        Path wrong = write("wrong.part", "not it".getBytes(StandardCharsets.UTF_8));
        ModelManifest other = mf.withId("other");
        assertThatThrownBy(() -> store.installFiles(other, Map.of("model.onnx", wrong)))
                .isInstanceOf(OcularException.class).hasMessageContaining("damaged or not the expected file");
        assertThatThrownBy(() -> store.installFiles(other, Map.of()))
                .isInstanceOf(OcularException.class).hasMessageContaining("was not provided");
        assertThat(store.get("other")).isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void reinstallingAnIdReplacesItAndAnOpenEncoderKeepsWorking() throws IOException {
        InstalledModel first = store.importFile(tinyCnn(), Optional.of("m"));
        try (OnnxImageEncoder enc = new OnnxImageEncoder(first, 1, 4)) {
            float[] before = enc.encode(List.of(TestImages.synthetic(64, 64, 1)))[0];
            // replace "m" by the same network under a manifest with another licence
            ModelManifest mf = first.manifest();
            ModelManifest changed = new ModelManifest(1, "m", "replacement", mf.kind(), mf.dimension(), mf.encoder(),
                    mf.files(), mf.preprocessing(), "MIT", "test", Map.of());
            store.installFiles(changed, Map.of("model.onnx", tinyCnn()));

            assertThat(store.list()).hasSize(1);
            assertThat(store.get("m").orElseThrow().manifest().name()).isEqualTo("replacement");
            assertThat(enc.encode(List.of(TestImages.synthetic(64, 64, 1)))[0]).containsExactly(before);
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void removeDeletesTheModel() {
        store.importFile(tinyCnn(), Optional.of("gone"));
        assertThat(store.remove("gone")).isTrue();
        assertThat(store.remove("gone")).isFalse();
        assertThat(store.remove("../x")).isFalse();
        assertThat(store.get("gone")).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(store.root().resolve("gone")).doesNotExist();
    }

    @Test
    void openingCleansUpWhatACrashLeftBehind() throws IOException {
        InstalledModel keep = store.importFile(tinyCnn(), Optional.of("keep"));
        InstalledModel both = store.importFile(tinyCnn(), Optional.of("both"));
        Path root = store.root();
        // crash while copying a new model
        Path staging = Files.createDirectory(root.resolve(".staging-0123456789abcdef0123456789abcdef"));
        Files.write(staging.resolve("model.onnx"), new byte[] {1, 2, 3});
        // crash between "move the old model aside" and "move the new one in": only the old copy exists
        Path oldKeep = root.resolve(".old-0123456789abcdef0123456789abcdef-keep");
        Files.move(keep.directory(), oldKeep);
        // crash after the new model moved in but before the old copy was deleted
        Path oldBoth = root.resolve(".old-fedcba9876543210fedcba9876543210-both");
        copyTree(both.directory(), oldBoth);
        // crash while removing
        Path removed = Files.createDirectory(root.resolve(".removed-0123456789abcdef0123456789abcdef-x"));
        Files.write(removed.resolve("model.onnx"), new byte[] {1});
        // a folder without a manifest (not an install of ours) is never listed
        Files.createDirectory(root.resolve("junk"));

        assertThat(new ModelStore(dataDir).list()).extracting(x -> x.manifest().id()).containsExactly("both", "keep");
        assertThat(leftovers()).isEmpty();
        assertThat(root.resolve("keep").resolve("model.onnx")).isRegularFile();
    }

    @Test
    void openingRestoresWhatACrashOfTheOlderInstallerLeftBehind() throws IOException {
        InstalledModel m = store.importFile(tinyCnn(), Optional.of("clip-x"));
        InstalledModel kept = store.importFile(tinyCnn(), Optional.of("kept"));
        Path root = store.root();
        // the old installer moved the model aside as ".<id>.old-<nanoTime>" and crashed before moving the new one in
        Files.move(m.directory(), root.resolve(".clip-x.old-123456789"));
        // ... or after it: the new one is in place, the aside copy is stale
        copyTree(kept.directory(), root.resolve(".kept.old-987654321"));

        assertThat(new ModelStore(dataDir).list()).extracting(x -> x.manifest().id()).containsExactly("clip-x", "kept");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void damagedInstalledModelIsNotListed() throws IOException {
        InstalledModel m = store.importFile(tinyCnn(), Optional.of("m"));
        Files.write(m.onnxFile(), new byte[] {1, 2, 3});
        assertThat(store.list()).isEmpty();
        assertThat(store.get("m")).isEmpty();
        Files.writeString(m.directory().resolve(ModelStore.MANIFEST), "{ broken");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void readsManifestsWrittenByTheOlderModelInstaller() throws Exception {
        // exactly what ModelInstaller wrote before the store became the only manifest writer
        Path standIn = resource("/models/clip-standin/vision_model.onnx").getParent();
        Path clipDir = Files.createDirectory(store.root().resolve("clip-old"));
        StringBuilder files = new StringBuilder();
        for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
            Files.copy(standIn.resolve(f), clipDir.resolve(f));
            files.append(files.isEmpty() ? "" : ",").append("{\"name\":\"").append(f).append("\",\"size\":")
                    .append(Files.size(standIn.resolve(f))).append(",\"sha256\":\"")
                    .append(sha256(Files.readAllBytes(standIn.resolve(f))))
                    .append("\",\"url\":\"https://example.org/").append(f).append("\"}");
        }
        Files.writeString(clipDir.resolve(ModelStore.MANIFEST), "{\"id\":\"clip-old\",\"name\":\"Old CLIP\","
                + "\"kind\":\"IMAGE_TEXT\",\"dimension\":512,\"preprocessing\":\"clip-224\",\"licence\":\"MIT\","
                + "\"homepage\":\"https://example.org/clip\",\"files\":[" + files + "],"
                + "\"installedAt\":\"2026-11-27T10:00:00Z\"}");
        Path cnnDir = Files.createDirectory(store.root().resolve("cnn-old"));
        Files.copy(tinyCnn(), cnnDir.resolve("tiny.onnx"));
        String cnnSha = sha256(Files.readAllBytes(tinyCnn()));
        Files.writeString(cnnDir.resolve(ModelStore.MANIFEST), "{\"id\":\"cnn-old\",\"name\":\"Old CNN\","
                + "\"kind\":\"IMAGE\",\"dimension\":8,\"preprocessing\":\"imagenet-multiple-of-32\","
                + "\"licence\":\"Apache-2.0\",\"homepage\":null,\"files\":[{\"name\":\"tiny.onnx\",\"size\":"
                + Files.size(tinyCnn()) + ",\"sha256\":\"" + cnnSha + "\",\"url\":\"https://example.org/t.onnx\"}],"
                + "\"installedAt\":\"2026-11-27T10:00:00Z\"}");

        ModelStore reopened = new ModelStore(dataDir);
        assertThat(reopened.list()).extracting(m -> m.manifest().id()).containsExactly("clip-old", "cnn-old");
        ModelManifest clip = reopened.get("clip-old").orElseThrow().manifest();
        assertThat(clip.encoder()).isEqualTo(ModelManifest.ENCODER_CLIP);
        assertThat(clip.kind()).isEqualTo(ModelKind.IMAGE_TEXT);
        assertThat(clip.dimension()).isEqualTo(512);
        assertThat(clip.source()).isEqualTo("https://example.org/clip");
        ModelManifest cnn = reopened.get("cnn-old").orElseThrow().manifest();
        assertThat(cnn.encoder()).isEqualTo(ModelManifest.ENCODER_CNN_AVGPOOL);
        assertThat(cnn.toModelInfo().sha256()).isEqualTo(cnnSha);
        assertThat(cnn.preprocessing().outputName()).isEqualTo("global_features");

        EncoderRegistry r = new EncoderRegistry(reopened);
        try (ImageEncoder img = r.openImageEncoder("clip-old"); TextEncoder txt = r.openTextEncoder("clip-old");
             ImageEncoder tiny = r.openImageEncoder("cnn-old")) {
            assertThat(img.encode(List.of(TestImages.synthetic(64, 48, 3)))[0]).hasSize(512);
            assertThat(txt.encodeText(List.of("a red square"))[0]).hasSize(512);
            assertThat(tiny.encode(List.of(TestImages.synthetic(64, 48, 3)))[0]).hasSize(8);
        }
        // an old model can be removed like any other
        assertThat(reopened.remove("clip-old", "cnn-old")).isTrue();
        assertThat(reopened.list()).extracting(m -> m.manifest().id()).containsExactly("cnn-old");
    }

    @Test
    void installDownloadedMovesTheFilesInAndGivesThemBackWhenTheInstallFails() throws IOException {
        ModelManifest mf = store.importFile(tinyCnn(), Optional.of("tiny")).manifest().withId("dl");
        Path downloads = Files.createDirectories(store.root().resolve(".partial/dl"));
        Files.copy(tinyCnn(), downloads.resolve("model.onnx"));
        Files.writeString(downloads.resolve("unrelated.txt"), "left alone");

        InstalledModel m = store.installDownloaded(mf, downloads);
        assertThat(m.manifest()).isEqualTo(mf);
        assertThat(store.get("dl")).isPresent();
        assertThat(downloads.resolve("model.onnx")).doesNotExist(); // moved, not copied
        assertThat(downloads.resolve("unrelated.txt")).hasContent("left alone");

        // the model fails its check (its manifest lies about the dimension): the files go back for a retry
        Files.copy(tinyCnn(), downloads.resolve("model.onnx"));
        ModelManifest lying = new ModelManifest(1, "liar", "liar", ModelKind.IMAGE, 16, mf.encoder(), mf.files(),
                mf.preprocessing(), "x", "y", Map.of());
        assertThatThrownBy(() -> store.installDownloaded(lying, downloads))
                .isInstanceOf(OcularException.class).hasMessageContaining("produces 8-dimensional vectors");
        assertThat(downloads.resolve("model.onnx")).hasBinaryContent(Files.readAllBytes(tinyCnn()));
        assertThat(store.get("liar")).isEmpty();

        // a file that is not the expected one is deleted, so the next try downloads it again
        Files.writeString(downloads.resolve("model.onnx"), "not it");
        assertThatThrownBy(() -> store.installDownloaded(mf.withId("other"), downloads))
                .isInstanceOf(OcularException.class).hasMessageContaining("damaged or not the expected file");
        assertThat(downloads.resolve("model.onnx")).doesNotExist();
        assertThatThrownBy(() -> store.installDownloaded(mf.withId("other"), downloads))
                .isInstanceOf(OcularException.class).hasMessageContaining("does not exist");
        assertThat(store.list()).extracting(x -> x.manifest().id()).containsExactly("dl", "tiny");
        assertThat(leftovers()).containsExactly(".partial");
    }

    @Test
    void theActiveModelIsNotRemoved() {
        store.importFile(tinyCnn(), Optional.of("active"));
        assertThatThrownBy(() -> store.remove("active", "active"))
                .isInstanceOf(OcularException.class).hasMessageContaining("'active' is the active model");
        assertThat(store.get("active")).isPresent();
        assertThat(store.remove("active", "builtin-v1")).isTrue();
        assertThat(store.get("active")).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private List<String> leftovers() {
        try (Stream<Path> s = Files.list(store.root())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(scratch.resolve(name), bytes);
    }

    private static byte[] json(ModelManifest m) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(m);
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path p = scratch.resolve(name);
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream zos = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zos.putNextEntry(new ZipEntry(e.getKey()));
                zos.write(e.getValue());
                zos.closeEntry();
            }
        }
        return p;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectory(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    Files.copy(in, to.resolve(p.getFileName().toString()));
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
