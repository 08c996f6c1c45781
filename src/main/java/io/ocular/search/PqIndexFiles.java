package io.ocular.search;

import io.ocular.model.OcularException;
import io.ocular.store.EmbeddingMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * A {@link PqIndex} on disk: two {@link ChecksummedFile}s (each written atomically), the model (configuration,
 * rotation, coarse centroids, and the code encoder: PQ codebooks or SPQ weights) and the codes (the model's
 * CRC, then the inverted lists), so codes made with another model are detected.
 *
 * <p>The live engine's {@link AdaptiveIndex} saves and loads through here; a save killed between the two files
 * leaves the codes from before it serving (the previous model is kept until the new codes are in place).
 */
final class PqIndexFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PqIndexFiles.class);
    static final String MODEL_FILE = "pq-model.bin";
    static final String CODES_FILE = "pq-codes.bin";
    /** The model the saved codes were made with, kept while a save replaces the pair (see {@link #save}). */
    static final String PREVIOUS_MODEL_FILE = "pq-model.prev.bin";
    private static final String MODEL_MAGIC = "OCPQMODL";
    private static final String CODES_MAGIC = "OCPQCODE";
    /** 2: the encoder is tagged (PQ codebooks or SPQ weights). */
    private static final int FORMAT_VERSION = 2;
    private static final byte ENCODER_PQ = 0;
    private static final byte ENCODER_SPQ = 1;

    private PqIndexFiles() {
    }

    static void save(PqIndex index, Path dir) throws IOException {
        byte[] model = modelPayload(index);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(crc(model));
        index.writeCodes(out);
        out.flush();
        // Each file is replaced atomically, but the pair is not: a kill between the two writes would leave new
        // codebooks beside old codes. So the old model is kept first; the codes file (which names its model by
        // CRC) is the commit point, and load() falls back to the kept model when the codes still want it.
        Path current = dir.resolve(MODEL_FILE);
        if (Files.exists(current)) {
            Files.copy(current, dir.resolve(PREVIOUS_MODEL_FILE + ".tmp"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(dir.resolve(PREVIOUS_MODEL_FILE + ".tmp"), dir.resolve(PREVIOUS_MODEL_FILE),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        ChecksummedFile.write(current, MODEL_MAGIC, FORMAT_VERSION, model);
        ChecksummedFile.write(dir.resolve(CODES_FILE), CODES_MAGIC, FORMAT_VERSION, bytes.toByteArray());
        Files.deleteIfExists(dir.resolve(PREVIOUS_MODEL_FILE));
    }

    private static byte[] modelPayload(PqIndex index) throws IOException {
        PqConfig config = index.config();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(config.subspaces());
        out.writeBoolean(config.opq());
        out.writeInt(config.nlist());
        out.writeInt(config.nprobe());
        out.writeInt(config.rerankFactor());
        out.writeInt(config.trainSample());
        out.writeInt(config.kmeansIterations());
        out.writeInt(config.opqIterations());
        out.writeLong(config.seed());
        out.writeInt(index.dimension());
        out.writeInt(index.trainedSize());
        writeFloats(out, index.rotation() == null ? new float[0] : index.rotation().matrix());
        writeFloats(out, index.coarse() == null ? new float[0] : index.coarse().centroids());
        if (index.encoder() instanceof ProductQuantizer pq) {
            out.writeByte(ENCODER_PQ);
            writeFloats(out, pq.codebooks());
        } else if (index.encoder() instanceof SpqModel spq) {
            out.writeByte(ENCODER_SPQ);
            byte[] weights = spq.toBytes();
            out.writeInt(weights.length);
            out.write(weights);
        } else {
            throw new IOException("cannot save codes of a " + index.encoder().getClass().getSimpleName());
        }
        out.flush();
        return bytes.toByteArray();
    }

    static PqIndex load(Path dir, ScanPool pool, Reranker reranker) throws IOException {
        byte[] codes = ChecksummedFile.read(dir.resolve(CODES_FILE), CODES_MAGIC, FORMAT_VERSION);
        byte[] model = ChecksummedFile.read(dir.resolve(MODEL_FILE), MODEL_MAGIC, FORMAT_VERSION);
        Path previous = dir.resolve(PREVIOUS_MODEL_FILE);
        if (codes.length >= Long.BYTES && ByteBuffer.wrap(codes).getLong() != crc(model) && Files.exists(previous)) {
            byte[] kept = ChecksummedFile.read(previous, MODEL_MAGIC, FORMAT_VERSION);
            if (ByteBuffer.wrap(codes).getLong() == crc(kept)) {
                LOG.info("a save of the compact codes in {} was interrupted: the codes from before it serve", dir);
                model = kept;
            }
        }
        return parse(model, codes, pool, reranker);
    }

    /**
     * {@link #load} of the two files already in memory, without the kept previous model (the fuzz tests: no
     * disk per execution).
     */
    static PqIndex fromFileBytes(byte[] modelFile, byte[] codesFile, ScanPool pool, Reranker reranker)
            throws IOException {
        byte[] codes = ChecksummedFile.decode(CODES_FILE, codesFile, CODES_MAGIC, FORMAT_VERSION);
        byte[] model = ChecksummedFile.decode(MODEL_FILE, modelFile, MODEL_MAGIC, FORMAT_VERSION);
        return parse(model, codes, pool, reranker);
    }

    /** The index from the payloads of the model and codes files. */
    static PqIndex parse(byte[] model, byte[] codes, ScanPool pool, Reranker reranker) throws IOException {
        PqIndex index;
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(model));
            PqConfig config = new PqConfig(in.readInt(), in.readBoolean(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readInt(), in.readLong());
            int dim = in.readInt();
            int trained = in.readInt();
            if (dim < 1 || dim > 65_536) {
                throw new ChecksummedFile.CorruptIndexException("implausible dimension " + dim);
            }
            float[] rot = readFloats(in, dim * dim);
            float[] cent = readFloats(in, 1024 * dim);
            CodeEncoder encoder = switch (in.readByte()) {
                case ENCODER_PQ -> ProductQuantizer.fromCodebooks(dim, config.subspaces(),
                        readFloats(in, ProductQuantizer.KSUB * dim));
                case ENCODER_SPQ -> {
                    int len = in.readInt();
                    if (len < 0 || len > model.length) {
                        throw new ChecksummedFile.CorruptIndexException("implausible SPQ model length " + len);
                    }
                    yield SpqModel.fromBytes(in.readNBytes(len));
                }
                default -> throw new ChecksummedFile.CorruptIndexException("unknown code encoder");
            };
            index = new PqIndex(config, dim, rot.length == 0 ? null : OpqRotation.of(dim, rot),
                    cent.length == 0 ? null : new CoarseQuantizer(dim, cent), encoder, trained, pool, reranker);
        } catch (EOFException e) {
            throw new ChecksummedFile.CorruptIndexException("the PQ model file is truncated");
        } catch (IllegalArgumentException | OcularException e) {
            throw new ChecksummedFile.CorruptIndexException("the PQ model file is inconsistent: " + e.getMessage());
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(codes));
            if (in.readLong() != crc(model)) {
                throw new ChecksummedFile.CorruptIndexException("the codes were made with a different PQ model");
            }
            index.readCodes(in, codes.length);
        } catch (EOFException e) { // its message is null: say what happened (found by fuzzing)
            throw new ChecksummedFile.CorruptIndexException("the codes file is truncated");
        }
        return index;
    }

    static PqIndex openOrBuild(Path dir, PqConfig config, Supplier<EmbeddingMatrix> vectors, ScanPool pool,
                               Reranker reranker) {
        try {
            PqIndex loaded = load(dir, pool, reranker);
            if (loaded.config().equals(config)) {
                return loaded;
            }
            LOG.info("compact codes in {} were built with {}; rebuilding with {}", dir, loaded.config(), config);
        } catch (IOException e) {
            LOG.warn("rebuilding compact codes: {}", e.getMessage());
        }
        PqIndex built = PqTrainer.train(vectors.get(), config, pool, reranker);
        try {
            save(built, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the compact codes to " + dir, e);
        }
        return built;
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        // the bytes left bound the length too: a damaged length must not allocate gigabytes (found by fuzzing)
        if (n < 0 || n > max || n > in.available() / 4) {
            throw new ChecksummedFile.CorruptIndexException("implausible array length " + n);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
