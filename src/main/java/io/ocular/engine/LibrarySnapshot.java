package io.ocular.engine;

import io.ocular.model.FolderRecord;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.search.ChecksummedFile;
import io.ocular.store.Catalog;
import io.ocular.store.EmbeddingMatrix;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * This computer's read-only copy of a shared library, kept in its data folder ({@value #FILE_NAME}): the library
 * folders under this computer's mounts, every image record (same ids as on the server) and the active model's
 * vectors. Search falls back to it while the library server is away (docs/decisions/0280-postgresql-catalog.md);
 * written atomically and checksummed ({@link ChecksummedFile}), so a crash leaves the old copy or the new one.
 *
 * @param takenAt when the copy was read from the server
 */
record LibrarySnapshot(Instant takenAt, List<FolderRecord> folders, List<ImageRecord> images, ModelInfo model,
                       EmbeddingMatrix vectors) {
    static final String FILE_NAME = "library-copy.bin";
    private static final String MAGIC = "OCLIBCPY";
    private static final int VERSION = 1;

    LibrarySnapshot {
        folders = List.copyOf(folders);
        images = List.copyOf(images);
    }

    /** Reads the whole library from {@code catalog} (vectors streamed one row at a time). */
    static LibrarySnapshot of(Catalog catalog, ModelInfo model, Instant now) {
        List<FolderRecord> folders = catalog.folders();
        List<ImageRecord> images = new ArrayList<>();
        for (FolderRecord f : folders) {
            for (ImageRecord r : catalog.imagesInFolder(f.id())) {
                images.add(r);
                if (r.isVideoFile()) {
                    images.addAll(catalog.moments(r.id()));
                }
            }
        }
        long[][] ids = {new long[1024]};
        float[][] data = {new float[1024 * model.dimension()]};
        int[] n = {0};
        catalog.forEachEmbedding(model.id(), (id, v) -> {
            if (v.length != model.dimension()) {
                return;
            }
            if (n[0] == ids[0].length) {
                ids[0] = Arrays.copyOf(ids[0], n[0] * 2);
                data[0] = Arrays.copyOf(data[0], n[0] * 2 * model.dimension());
            }
            ids[0][n[0]] = id;
            System.arraycopy(v, 0, data[0], n[0] * model.dimension(), v.length);
            n[0]++;
        });
        EmbeddingMatrix m = new EmbeddingMatrix(model.id(), model.dimension(), Arrays.copyOf(ids[0], n[0]),
                Arrays.copyOf(data[0], n[0] * model.dimension()));
        return new LibrarySnapshot(now, folders, images, model, m);
    }

    void write(Path file) throws IOException {
        ChecksummedFile.write(file, MAGIC, VERSION, out -> {
            out.writeLong(takenAt.toEpochMilli());
            out.writeUTF(model.id());
            out.writeUTF(model.name());
            out.writeInt(model.dimension());
            out.writeUTF(model.sha256() == null ? "" : model.sha256());
            out.writeInt(folders.size());
            for (FolderRecord f : folders) {
                out.writeLong(f.id());
                out.writeUTF(f.path().toString());
                out.writeLong(f.addedAt().toEpochMilli());
                out.writeLong(f.imageCount());
                out.writeLong(f.skippedCount());
            }
            out.writeInt(images.size());
            for (ImageRecord r : images) {
                writeImage(out, r);
            }
            out.writeInt(vectors.rows());
            for (int i = 0; i < vectors.rows(); i++) {
                out.writeLong(vectors.ids()[i]);
            }
            for (float f : vectors.data()) {
                out.writeFloat(f);
            }
        });
    }

    static LibrarySnapshot read(Path file) throws IOException {
        return ChecksummedFile.read(file, MAGIC, VERSION, in -> {
            Instant at = Instant.ofEpochMilli(in.readLong());
            ModelInfo model = new ModelInfo(in.readUTF(), in.readUTF(), ModelKind.IMAGE, in.readInt(), in.readUTF());
            int nf = in.readInt();
            List<FolderRecord> folders = new ArrayList<>(nf);
            for (int i = 0; i < nf; i++) {
                folders.add(new FolderRecord(in.readLong(), Path.of(in.readUTF()), Instant.ofEpochMilli(in.readLong()),
                        in.readLong(), in.readLong()));
            }
            int ni = in.readInt();
            List<ImageRecord> images = new ArrayList<>(ni);
            for (int i = 0; i < ni; i++) {
                images.add(readImage(in));
            }
            int rows = in.readInt();
            long[] ids = new long[rows];
            for (int i = 0; i < rows; i++) {
                ids[i] = in.readLong();
            }
            float[] data = new float[rows * model.dimension()];
            for (int i = 0; i < data.length; i++) {
                data[i] = in.readFloat();
            }
            return new LibrarySnapshot(at, folders, images, model,
                    new EmbeddingMatrix(model.id(), model.dimension(), ids, data));
        });
    }

    private static void writeImage(DataOutputStream out, ImageRecord r) throws IOException {
        out.writeLong(r.id());
        out.writeLong(r.folderId());
        out.writeUTF(r.path().toString());
        out.writeLong(r.size());
        out.writeLong(r.mtimeMillis());
        out.writeUTF(r.contentHash() == null ? "" : r.contentHash());
        out.writeInt(r.width());
        out.writeInt(r.height());
        out.writeLong(r.takenAt() == null ? Long.MIN_VALUE : r.takenAt().toEpochMilli());
        out.writeInt(r.orientation());
        out.writeUTF(r.status().name());
        out.writeUTF(r.skipReason() == null ? "" : r.skipReason());
        out.writeLong(r.frameMs());
        out.writeLong(r.durationMs());
    }

    private static ImageRecord readImage(DataInputStream in) throws IOException {
        long id = in.readLong();
        long folder = in.readLong();
        Path path = Path.of(in.readUTF());
        long size = in.readLong();
        long mtime = in.readLong();
        String hash = in.readUTF();
        int w = in.readInt();
        int h = in.readInt();
        long taken = in.readLong();
        int orientation = in.readInt();
        ImageStatus status = ImageStatus.valueOf(in.readUTF());
        String reason = in.readUTF();
        return new ImageRecord(id, folder, path, size, mtime, hash.isEmpty() ? null : hash, w, h,
                taken == Long.MIN_VALUE ? null : Instant.ofEpochMilli(taken), orientation, status,
                reason.isEmpty() ? null : reason, in.readLong(), in.readLong());
    }
}
