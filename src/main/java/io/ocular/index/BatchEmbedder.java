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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final VideoFrames videos;

    /**
     * @param videos reads videos' moments; null when ffmpeg is missing (videos are then skipped with a reason)
     */
    BatchEmbedder(Catalog catalog, ContentHasher hasher, ImageDecoder decoder, FileAccess files, Events events,
                  VideoFrames videos) {
        this.catalog = catalog;
        this.hasher = hasher;
        this.decoder = decoder;
        this.files = files;
        this.events = events;
        this.videos = videos;
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
        Map<Integer, byte[]> frames = new HashMap<>();
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
            if (ImageFormats.isVideoName(String.valueOf(f.path().getFileName()))) {
                if (!videoMoments(job, item, id, hash, records, vectors, frames)) {
                    job.modelFailed();
                    return null;
                }
                continue;
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
        return new EmbeddedBatch(job, items.size(), moves, records, vectors, frames);
    }

    /**
     * A video's file record and one record per moment with its vector, added to {@code records}/{@code vectors}
     * in that order (the catalog replaces the video's moments with these), or the video SKIPPED with a reason.
     * Its moments are embedded in one encoder call of their own (at most {@link VideoFrames.Config#maxMoments}).
     * False when the model failed on every moment (the run stops; nothing is marked). The moments' frames are kept
     * ({@code keptFrames}, by record index) so that re-embedding for another model needs no ffmpeg
     * ({@link #keptMoments}).
     */
    private boolean videoMoments(IndexJob job, WorkItem item, long id, String hash, List<ImageRecord> records,
                                 List<float[]> vectors, Map<Integer, byte[]> keptFrames) {
        FolderScanner.FoundFile f = item.file();
        Boolean kept = keptMoments(job, item, hash, records, vectors);
        if (kept != null) {
            return kept;
        }
        if (videos == null) {
            records.add(skipped(id, item, hash, VideoFrames.missingReason()));
            vectors.add(null);
            return true;
        }
        VideoFrames.Clip clip;
        try {
            clip = videos.clip(f.path(), job.encoder.preferredShortSide());
        } catch (ImageDecodeException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return true;
            }
            records.add(skipped(id, item, hash, e.reason()));
            vectors.add(null);
            return true;
        } catch (NoSuchFileException e) {
            return true; // gone since the scan: the next pass forgets it
        } catch (IOException e) {
            records.add(skipped(id, item, hash, ImageDecodeException.ioReason(e)));
            vectors.add(null);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("{}: unexpected failure reading the video", f.path(), e);
            records.add(skipped(id, item, hash, "could not read this video: " + e));
            vectors.add(null);
            return true;
        }
        List<BufferedImage> frames = new ArrayList<>();
        clip.moments().forEach(m -> frames.add(m.image()));
        float[][] embedded = encode(job, frames);
        if (embedded == null) {
            return false;
        }
        VideoFrames.Probe p = clip.probe();
        ImageRecord video = new ImageRecord(id, item.folderId(), f.path(), f.size(), f.mtimeMillis(), hash,
                p.width(), p.height(), p.created(), 1, ImageStatus.INDEXED, null, ImageRecord.NO_FRAME,
                Math.max(1, Math.round(p.durationSeconds() * 1000)));
        List<ImageRecord> moments = new ArrayList<>();
        List<float[]> momentVectors = new ArrayList<>();
        List<BufferedImage> momentFrames = new ArrayList<>();
        long lastMs = -1;
        for (int i = 0; i < embedded.length; i++) {
            long ms = Math.max(0, Math.round(clip.moments().get(i).seconds() * 1000));
            if (embedded[i] != null && ms > lastMs) {
                moments.add(video.moment(ms));
                momentVectors.add(embedded[i]);
                momentFrames.add(clip.moments().get(i).image());
                lastMs = ms;
            }
        }
        if (moments.isEmpty()) {
            records.add(video.withStatus(ImageStatus.SKIPPED, "the model could not process this video's frames"));
            vectors.add(null);
            return true;
        }
        records.add(video);
        vectors.add(null);
        for (int k = 0; k < momentFrames.size(); k++) {
            keptFrames.put(records.size() + k, MomentFrames.encode(momentFrames.get(k)));
        }
        records.addAll(moments);
        vectors.addAll(momentVectors);
        return true;
    }

    /**
     * An unchanged video that lacks this model's vectors (a model switch), embedded from its moments' kept frames:
     * only its moments are written (same rows and times; other models' vectors stay). Null when this does not apply
     * or a frame is not kept (the video is read with ffmpeg); otherwise as {@link #videoMoments}.
     */
    private Boolean keptMoments(IndexJob job, WorkItem item, String hash, List<ImageRecord> records,
                                List<float[]> vectors) {
        ImageRecord known = item.known();
        FolderScanner.FoundFile f = item.file();
        if (known == null || !known.isVideoFile() || known.status() != ImageStatus.INDEXED
                || !hash.equals(known.contentHash()) || known.size() != f.size()
                || known.mtimeMillis() != f.mtimeMillis()) {
            return null;
        }
        List<ImageRecord> moments = catalog.moments(known.id());
        List<BufferedImage> frames = MomentFrames.read(catalog, known, moments, job.encoder.preferredShortSide());
        if (frames == null) {
            return null;
        }
        float[][] embedded = encode(job, frames);
        if (embedded == null) {
            return false;
        }
        for (float[] v : embedded) {
            if (v == null) {
                return null; // the model refused a frame: redo the video as when it was new
            }
        }
        records.addAll(moments);
        vectors.addAll(List.of(embedded));
        return true;
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
            if (c.status() == ImageStatus.INDEXED && !hasVectors(c, job.encoder.modelId())) {
                continue; // no vector of the active model to keep: embedding it is needed anyway
            }
            if (!files.exists(c.path()) && job.claimedByMove.add(c.id())) {
                return new EmbeddedBatch.Move(c.id(), item.folderId(), f.path(), f.size(), f.mtimeMillis());
            }
        }
        return null;
    }

    /** A photo's vector, or every moment's of a video, from this model. */
    private boolean hasVectors(ImageRecord r, String modelId) {
        if (!r.isVideoFile()) {
            return catalog.embedding(r.id(), modelId).isPresent();
        }
        List<ImageRecord> moments = catalog.moments(r.id());
        return !moments.isEmpty() && moments.stream().allMatch(m -> catalog.embedding(m.id(), modelId).isPresent());
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
