package io.ocular.index;

import io.ocular.embed.ModelStore;
import io.ocular.eval.FeatureCache;
import io.ocular.search.PqConfig;
import io.ocular.search.PqIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.SpqModel;
import io.ocular.search.SyntheticVectors;
import io.ocular.search.local.LocalFeatureCodec;
import io.ocular.search.local.LocalFeatures;
import io.ocular.search.local.Pca;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the small seed inputs of the fuzz tests into {@code src/test/resources/.../*FuzzTestInputs/}.
 * Run once when a format changes: {@code mvn -q test-compile exec:exec ...} or from the IDE, with the
 * project folder as working directory. The seeds are a few hundred bytes to a few KB each, so that every
 * fuzzing execution stays fast; they are committed, and the default suite replays them (and every crash
 * input kept beside them) as regression tests. WebP seeds need ffmpeg (skipped without it).
 *
 * <p>Inputs for {@code FuzzedDataProvider} targets: Jazzer's data provider takes primitives from the end of
 * the input and byte arrays from the front, so the harness's switches are appended as trailing bytes.
 */
public final class FuzzSeeds {
    private static final Path RES = Path.of("src/test/resources/io/ocular");

    private FuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("jpeg")) {   // only the scaled-JPEG seeds
            jpegLayouts(RES.resolve("index/ImageDecoderFuzzTestInputs/decode"));
            jpegLayouts(RES.resolve("index/ImageDecoderFuzzTestInputs/scaledJpeg"));
            return;
        }
        images(RES.resolve("index/ImageDecoderFuzzTestInputs/decode"));
        jpegLayouts(RES.resolve("index/ImageDecoderFuzzTestInputs/decode"));
        jpegLayouts(RES.resolve("index/ImageDecoderFuzzTestInputs/scaledJpeg"));
        models(RES.resolve("embed/ModelFilesFuzzTestInputs"));
        tokenizer(RES.resolve("embed/ClipTokenizerFuzzTestInputs/encode"));
        compactCodes(RES.resolve("search/CompactCodesFuzzTestInputs"));
        localFeatures(RES.resolve("search/local/LocalFeatureBlobsFuzzTestInputs"));
        featureCache(RES.resolve("eval/FeatureCacheFuzzTestInputs/load"));
    }

    private static void images(Path dir) throws Exception {
        BufferedImage img = TestImages.seeded(7, 12, 8);
        put(dir, "seed-jpeg", TestImages.jpegBytes(img));
        Path tmp = Files.createTempFile("seed", ".jpg");
        TestImages.jpegWithExif(img, 6, "2021:07:04 18:30:00", tmp);
        put(dir, "seed-jpeg-exif", Files.readAllBytes(tmp));
        Files.delete(tmp);
        BufferedImage argb = new BufferedImage(6, 5, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 1, 0x80ff0000);
        put(dir, "seed-png", encode(argb, "png"));
        put(dir, "seed-gif", encode(img, "gif"));
        put(dir, "seed-bmp", encode(img, "bmp"));
        put(dir, "seed-tiff", encode(img, "tiff"));
        webp(dir, img);
        put(dir, "seed-heic-header", ftyp("heic"));
        put(dir, "seed-avif-header", ftyp("avif"));
        put(dir, "seed-text", "not an image at all\n".getBytes(StandardCharsets.UTF_8));
    }

    /** 64 x 48 JPEGs (large enough for the DCT-domain decoder at the fuzz target's size) in each layout. */
    private static void jpegLayouts(Path dir) throws Exception {
        BufferedImage img = TestImages.seeded(11, 64, 48);
        Random r = new Random(11);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {      // a gradient with noise: AC coefficients of every size
                img.setRGB(x, y, img.getRGB(x, y) ^ ((x * 4) << 16 | (y * 5) << 8 | r.nextInt(64)));
            }
        }
        put(dir, "seed-jpeg-420", JpegVariants.write(img, JpegVariants.Layout.S420, 0.75f, 0));
        put(dir, "seed-jpeg-422-restart", JpegVariants.write(img, JpegVariants.Layout.S422, 0.75f, 2));
        put(dir, "seed-jpeg-444", JpegVariants.write(img, JpegVariants.Layout.S444, 0.75f, 0));
        put(dir, "seed-jpeg-grey-restart", JpegVariants.write(img, JpegVariants.Layout.GREY, 0.75f, 5));
        put(dir, "seed-jpeg-progressive", JpegVariants.write(img, JpegVariants.Layout.PROGRESSIVE, 0.75f, 0));
    }

    private static void webp(Path dir, BufferedImage img) throws Exception {
        Path png = Files.createTempFile("seed", ".png");
        Path webp = Files.createTempFile("seed", ".webp");
        try {
            ImageIO.write(img, "png", png.toFile());
            for (String mode : new String[]{"0", "1"}) {
                Process p = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y", "-i", png.toString(),
                        "-lossless", mode, "-f", "webp", webp.toString()).inheritIO().start();
                if (p.waitFor() == 0 && Files.size(webp) > 0) {
                    put(dir, "seed-webp-" + (mode.equals("1") ? "lossless" : "lossy"), Files.readAllBytes(webp));
                }
            }
        } catch (IOException noFfmpeg) {
            System.err.println("no WebP seeds: " + noFfmpeg.getMessage());
        } finally {
            Files.deleteIfExists(png);
            Files.deleteIfExists(webp);
        }
    }

    private static byte[] ftyp(String brand) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putInt(24).put("ftyp".getBytes(StandardCharsets.US_ASCII)).put(brand.getBytes(StandardCharsets.US_ASCII))
                .putInt(0).put("mif1".getBytes(StandardCharsets.US_ASCII)).put(brand.getBytes(StandardCharsets.US_ASCII))
                .putInt(8).put("meta".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static void models(Path dir) throws Exception {
        byte[] onnx = resource("/io/ocular/embed/tiny-cnn-features.onnx");
        put(dir.resolve("onnxInspector"), "seed-tiny-cnn", onnx);
        put(dir.resolve("onnxInspector"), "seed-not-an-encoder", resource("/io/ocular/embed/not-an-encoder.onnx"));
        Path store = Files.createTempDirectory("seed-store");
        Path onnxFile = Files.write(store.resolve("tiny.onnx"), onnx);
        var installed = new ModelStore(store.resolve("data")).importFile(onnxFile, java.util.Optional.of("tiny-cnn"));
        String manifest = Files.readString(installed.directory().resolve(ModelStore.MANIFEST));
        onnx = Files.readAllBytes(installed.directory().resolve(ModelStore.IMPORTED_ONNX));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(ModelStore.IMPORTED_ONNX));
            z.write(onnx);
        }
        put(dir.resolve("modelPack"), "seed-pack", cat(zip.toByteArray(), new byte[]{1}));
        ByteArrayOutputStream slip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(slip)) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(manifest.getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("../../evil"));
            z.write(1);
        }
        put(dir.resolve("modelPack"), "seed-zip-slip", cat(slip.toByteArray(), new byte[]{1}));
        put(dir.resolve("catalogueJson"), "seed-catalogue", resource("/io/ocular/embed/catalogue.json"));
        put(dir.resolve("installedManifest"), "seed-manifest",
                manifest.replace("tiny-cnn", "fuzz-model").getBytes(StandardCharsets.UTF_8));
        try (var s = Files.walk(store)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void tokenizer(Path dir) throws IOException {
        put(dir, "seed-words", "kids on a beach at sunset".getBytes(StandardCharsets.UTF_8));
        put(dir, "seed-unicode", "Straße café 東京 🙂 naïve".getBytes(StandardCharsets.UTF_8));
    }

    private static void compactCodes(Path dir) throws Exception {
        Path tmp = Files.createTempDirectory("seed-pq");
        try (ScanPool pool = new ScanPool(1)) {
            var data = SyntheticVectors.clustered(300, 8, 4, 0.1, 3);
            PqIndex.train(data, PqConfig.forBits(16).withTraining(300, 3, 1), pool, null).save(tmp);
        }
        byte[] model = Files.readAllBytes(tmp.resolve("pq-model.bin"));
        byte[] codes = Files.readAllBytes(tmp.resolve("pq-codes.bin"));
        // switches from the end: wrap, link codes, then the model length as a 3-byte int
        put(dir.resolve("pqIndex"), "seed-files", cat(model, codes, int3(model.length), new byte[]{0, 0}));
        byte[] modelPayload = java.util.Arrays.copyOfRange(model, 28, model.length);
        byte[] codesPayload = java.util.Arrays.copyOfRange(codes, 28 + 8, codes.length);
        put(dir.resolve("pqIndex"), "seed-payloads", cat(modelPayload, codesPayload, int3(modelPayload.length),
                new byte[]{1, 1}));
        Random r = new Random(5);
        SpqModel spq = new SpqModel(4, 3, 2, 2, 2, floats(r, 12), floats(r, 3), floats(r, 12), floats(r, 4),
                floats(r, 8));
        Path f = tmp.resolve("spq.bin");
        spq.save(f);
        byte[] file = Files.readAllBytes(f);
        put(dir.resolve("spqModel"), "seed-file", cat(file, new byte[]{0}));
        put(dir.resolve("spqModel"), "seed-body", cat(java.util.Arrays.copyOfRange(file, 28, file.length), new byte[]{1}));
        try (var s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void localFeatures(Path dir) throws IOException {
        Random r = new Random(9);
        int n = 3;
        int dim = 4;
        float[] d = floats(r, n * dim);
        LocalFeatures f = new LocalFeatures(64, 48, dim, new float[]{1, 20, 40}, new float[]{2, 30, 47},
                new float[]{1, 2, 4}, d);
        byte[] blob = LocalFeatureCodec.encode(f, 77);
        // switches from the end: fix CRC, projection id (4 bytes, big-endian from the end)
        put(dir.resolve("featureBlob"), "seed-blob", cat(blob, new byte[]{77, 0, 0, 0}, new byte[]{0}));
        float[] data = floats(r, 50 * 6);
        byte[] pca = Pca.fit(data, 50, 6, 3).toBytes();
        put(dir.resolve("storedModel"), "seed-pca", cat(pca, "5000".getBytes(StandardCharsets.US_ASCII),
                new byte[]{0}, int3(pca.length)));
    }

    private static void featureCache(Path dir) throws Exception {
        Path tmp = Files.createTempDirectory("seed-cache");
        new FeatureCache(tmp).save("k", new float[][][]{{{1, 2, 3}}, null, {{4, 5, 6}, {7, 8, 9}}});
        byte[] file = Files.readAllBytes(tmp.resolve("k.feat"));
        put(dir, "seed-file", cat(file, new byte[]{0}));
        put(dir, "seed-body", cat(java.util.Arrays.copyOfRange(file, 28, file.length), new byte[]{1}));
        Files.delete(tmp.resolve("k.feat"));
        Files.delete(tmp);
    }

    /** A value for {@code consumeInt(0, 65536)}: three bytes, the most significant consumed (last) first. */
    private static byte[] int3(int v) {
        return new byte[]{(byte) v, (byte) (v >> 8), (byte) (v >> 16)};
    }

    private static float[] floats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return out.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (var in = FuzzSeeds.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void put(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
