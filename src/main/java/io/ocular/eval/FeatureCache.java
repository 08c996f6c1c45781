package io.ocular.eval;

import io.ocular.search.ChecksummedFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Encoder features of an evaluation dataset kept between runs of {@code ocular eval}, so that trying another
 * index kind, code length or training setting does not re-embed thousands of photos.
 *
 * <p>An entry is {@code features[photo][view][dimension]}; a photo that could not be embedded is {@code null}.
 * Its key ({@link #key}) hashes what the features depend on: the model id and its SHA-256, the files (path,
 * size, modification time) in order, and the caller's own parameters (e.g. number of views, view size, seed).
 * Change any of them and the entry is simply not found. Files are {@link ChecksummedFile}s (atomic, CRC32); an
 * unreadable or corrupt entry is reported as a miss (and recomputed), never as an error.
 */
public final class FeatureCache {
    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final String MAGIC = "OCFEATUR";
    /** 2: in a {@link ChecksummedFile} (1 had its own trailer CRC; such entries are misses and get recomputed). */
    private static final int VERSION = 2;

    private final Path dir;

    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A file-name-safe key over the model, the files (with size and mtime) and {@code params}. */
    public static String key(String kind, String modelId, String modelSha, List<Path> files, String params) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        update(md, "v" + VERSION);
        update(md, modelId);
        update(md, modelSha == null ? "" : modelSha);
        update(md, params);
        for (Path f : files) {
            update(md, f.toString());
            try {
                update(md, Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis());
            } catch (IOException e) {
                update(md, "missing");
            }
        }
        String safeModel = modelId.replaceAll("[^A-Za-z0-9._-]", "_");
        return kind + "-" + safeModel + "-" + HexFormat.of().formatHex(md.digest(), 0, 12);
    }

    private static void update(MessageDigest md, String s) {
        md.update(s.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
    }

    public Optional<float[][][]> load(String key) {
        Path f = dir.resolve(key + ".feat");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ChecksummedFile.read(f, MAGIC, VERSION, FeatureCache::readFeatures));
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring feature cache {}: {}", f, e.getMessage());
            return Optional.empty();
        }
    }

    private static float[][][] readFeatures(DataInputStream in) throws IOException {
        int n = in.readInt();
        int dim = in.readInt();
        // the bytes left in the file bound every count: a damaged header must not allocate gigabytes before the
        // checksum (verified after parsing) could tell (found by fuzzing)
        if (n < 0 || dim <= 0 || dim > 1 << 16 || n > in.available() / 4) {
            throw new ChecksummedFile.CorruptIndexException("bad header");
        }
        float[][][] out = new float[n][][];
        byte[] buf = new byte[dim * 4];
        for (int i = 0; i < n; i++) {
            int views = in.readInt();
            // dense local features: one row per cell; the bytes left bound it too (fuzzing found the OOM)
            if (views < 0 || views > 1 << 20 || (long) views * dim * 4 > in.available()) {
                throw new ChecksummedFile.CorruptIndexException("bad view count");
            }
            if (views == 0) {
                continue;
            }
            out[i] = new float[views][dim];
            for (int v = 0; v < views; v++) {
                in.readFully(buf);
                ByteBuffer.wrap(buf).asFloatBuffer().get(out[i][v]);
            }
        }
        return out;
    }

    /** Writes an entry atomically; a failure to write is logged and otherwise ignored (the cache is optional). */
    public void save(String key, float[][][] features) {
        int dim = 0;
        for (float[][] p : features) {
            if (p != null && p.length > 0) {
                dim = p[0].length;
                break;
            }
        }
        if (dim == 0) {
            return;
        }
        Path f = dir.resolve(key + ".feat");
        int d = dim;
        try {
            ChecksummedFile.write(f, MAGIC, VERSION, out -> {
                out.writeInt(features.length);
                out.writeInt(d);
                ByteBuffer buf = ByteBuffer.allocate(d * 4);
                for (float[][] p : features) {
                    out.writeInt(p == null ? 0 : p.length);
                    if (p != null) {
                        for (float[] v : p) {
                            buf.clear();
                            buf.asFloatBuffer().put(v);
                            out.write(buf.array());
                        }
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write feature cache {}: {}", f, e.toString());
        }
    }

    /** Wraps single vectors (one view per photo) for {@link #save}. */
    public static float[][][] single(float[][] rows) {
        float[][][] out = new float[rows.length][][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i] == null ? null : new float[][]{rows[i]};
        }
        return out;
    }

    /** Unwraps what {@link #single} wrapped. */
    public static float[][] firstViews(float[][][] features) {
        float[][] out = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            out[i] = features[i] == null || features[i].length == 0 ? null : features[i][0];
        }
        return out;
    }
}
