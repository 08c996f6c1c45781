package io.ocular.index;

import io.ocular.embed.ImageEncoder;
import io.ocular.model.ImageRecord;
import io.ocular.model.ImageStatus;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a batch of found files into catalog changes: hash each file, detect a move (a catalogued image with
 * this content whose file is gone keeps its id and vectors), decode at the encoder's working size, and embed
 * what was decoded with one encoder call; if that call fails, each image alone, to tell a poison image (that
 * file is SKIPPED) from a broken model (nothing is marked: the batch stays pending for a later run).
 *
 * <p>Reads the catalog and the files, writes nothing; runs on any worker thread, one batch per call.
 */
final class BatchEmbedder {
    private static final Logger LOG = LoggerFactory.getLogger(BatchEmbedder.class);

    /** What the workers report while embedding: the current file and run-level problems. */
    interface Events {
        void current(Path file);

        /** The model failed on a whole batch of {@code job} (shown unless the job was cancelled meanwhile). */
        void modelFailed(IndexJob job, String message);
    }

    private final Catalog catalog;
    private final ContentHasher hasher;
    private final ImageDecoder decoder;
    private final FileAccess files;
    private final Events events;

    BatchEmbedder(Catalog catalog, ContentHasher hasher, ImageDecoder decoder, FileAccess files, Events events) {
        this.catalog = catalog;
        this.hasher = hasher;
        this.decoder = decoder;
        this.files = files;
        this.events = events;
    }

    /**
     * The batch's changes, or null when the model failed on every image (the job is then marked: its run
     * stops and reports it). Every item of {@code items} belongs to {@code job}; a file that vanished since
     * the scan is left out (the next pass forgets its old record).
     */
    EmbeddedBatch embed(IndexJob job, List<WorkItem> items) {
        List<EmbeddedBatch.Move> moves = new ArrayList<>();
        List<ImageRecord> records = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<ImageRecord> toEmbed = new ArrayList<>();
        List<BufferedImage> images = new ArrayList<>();
        for (WorkItem item : items) {
            FolderScanner.FoundFile f = item.file();
            events.current(f.path());
            long id = item.known() == null ? 0 : item.known().id();
            String hash;
            try {
                hash = hasher.hash(f.path());
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                records.add(skipped(id, item, null, ImageDecodeException.ioReason(e)));
                vectors.add(null);
                continue;
            }
            if (item.known() == null) {
                EmbeddedBatch.Move move = findMove(job, item, hash);
                if (move != null) {
                    moves.add(move);
                    continue;
                }
            }
            try {
                DecodedImage img = decoder.decode(f.path(), job.encoder.preferredShortSide());
                toEmbed.add(new ImageRecord(id, item.folderId(), f.path(), f.size(), f.mtimeMillis(), hash,
                        img.width(), img.height(), img.takenAt(), img.orientation(), ImageStatus.INDEXED, null));
                images.add(img.image());
            } catch (ImageDecodeException e) {
                if (e.getCause() instanceof NoSuchFileException) {
                    continue;
                }
                records.add(skipped(id, item, hash, e.reason()));
                vectors.add(null);
            } catch (RuntimeException e) {
                LOG.warn("{}: unexpected decoder failure", f.path(), e);
                records.add(skipped(id, item, hash, "could not decode: " + e));
                vectors.add(null);
            } catch (OutOfMemoryError e) {
                records.add(skipped(id, item, hash, "not enough memory to decode this image"));
                vectors.add(null);
            }
        }
        if (!images.isEmpty()) {
            float[][] embedded = encode(job, images);
            if (embedded == null) {
                job.modelFailed();
                return null;
            }
            for (int i = 0; i < toEmbed.size(); i++) {
                if (embedded[i] != null) {
                    records.add(toEmbed.get(i));
                    vectors.add(embedded[i]);
                } else {
                    records.add(toEmbed.get(i).withStatus(ImageStatus.SKIPPED, "the model could not process this image"));
                    vectors.add(null);
                }
            }
        }
        return new EmbeddedBatch(job, items.size(), moves, records, vectors);
    }

    private static ImageRecord skipped(long id, WorkItem item, String hash, String reason) {
        FolderScanner.FoundFile f = item.file();
        return new ImageRecord(id, item.folderId(), f.path(), f.size(), f.mtimeMillis(), hash, 0, 0, null, 1,
                ImageStatus.SKIPPED, reason);
    }

    /** A catalogued image with this content whose file is gone, claimed for this new path (once). */
    private EmbeddedBatch.Move findMove(IndexJob job, WorkItem item, String hash) {
        FolderScanner.FoundFile f = item.file();
        for (ImageRecord c : catalog.imagesByHash(hash)) {
            if (c.path().equals(f.path()) || c.size() != f.size() || c.status() == ImageStatus.PENDING) {
                continue;
            }
            if (c.status() == ImageStatus.INDEXED && catalog.embedding(c.id(), job.encoder.modelId()).isEmpty()) {
                continue; // no vector of the active model to keep: embedding it is needed anyway
            }
            if (!files.exists(c.path()) && job.claimedByMove.add(c.id())) {
                return new EmbeddedBatch.Move(c.id(), item.folderId(), f.path(), f.size(), f.mtimeMillis());
            }
        }
        return null;
    }

    /**
     * One encoder call for the batch; if it fails, each image alone. Returns null when the model fails on
     * every image (a model problem, not the files'); a null row marks an image the model could not process.
     */
    float[][] encode(IndexJob job, List<BufferedImage> images) {
        ImageEncoder encoder = job.encoder;
        try {
            float[][] v = encoder.encode(images);
            if (valid(v, images.size(), encoder.dimension())) {
                return v;
            }
            LOG.warn("model {} returned malformed vectors for a batch of {}", encoder.modelId(), images.size());
        } catch (RuntimeException e) {
            LOG.warn("model {} failed on a batch of {}: {}", encoder.modelId(), images.size(), e.getMessage());
        }
        float[][] out = new float[images.size()][];
        boolean any = false;
        String lastError = null;
        for (int i = 0; i < images.size(); i++) {
            try {
                float[][] one = encoder.encode(List.of(images.get(i)));
                if (valid(one, 1, encoder.dimension())) {
                    out[i] = one[0];
                    any = true;
                }
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
        }
        if (!any) {
            events.modelFailed(job, "the image model failed" + (lastError == null ? "" : ": " + lastError));
            return null;
        }
        return out;
    }

    private static boolean valid(float[][] v, int n, int dim) {
        if (v == null || v.length != n) {
            return false;
        }
        for (float[] row : v) {
            if (row == null || row.length != dim) {
                return false;
            }
        }
        return true;
    }
}
