package io.ocular.index;

import io.ocular.model.ImageRecord;
import io.ocular.store.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames of a video's moments, kept at the encoder's working size as per-image data of each moment (kind
 * {@value #KIND}, a JPEG) when the video is indexed, so that re-embedding for another model reads them instead of
 * running ffmpeg over the video again (decision 0140). They go with their moments (the catalog drops a row's data
 * with it). A frame that is missing, unreadable or smaller than the new model's working size sends the video back
 * to ffmpeg.
 */
final class MomentFrames {
    static final String KIND = "moment-frame";
    private static final Logger LOG = LoggerFactory.getLogger(MomentFrames.class);
    private static final float QUALITY = 0.92f;

    private MomentFrames() {
    }

    /** The frame as a JPEG (RGB), about 10-30 KB at 224 pixels. */
    static byte[] encode(BufferedImage frame) {
        BufferedImage rgb = frame;
        if (frame.getType() != BufferedImage.TYPE_INT_RGB && frame.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            rgb = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(frame, 0, 0, null);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a memory stream: not expected
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * The kept frames of {@code moments} (in their order), or null when one is missing, unreadable or smaller than
     * {@code shortSide} where the video ({@code video}) is not: then the video is read with ffmpeg again.
     */
    static List<BufferedImage> read(Catalog catalog, ImageRecord video, List<ImageRecord> moments, int shortSide) {
        if (moments.isEmpty()) {
            return null;
        }
        int needed = Math.min(shortSide, Math.min(video.width(), video.height()));
        List<BufferedImage> out = new ArrayList<>(moments.size());
        for (ImageRecord m : moments) {
            byte[] jpeg = catalog.imageData(m.id(), KIND).orElse(null);
            if (jpeg == null) {
                return null;
            }
            BufferedImage img;
            try {
                img = ImageIO.read(new ByteArrayInputStream(jpeg));
            } catch (IOException | RuntimeException e) {
                LOG.info("{}: kept frame at {} ms unreadable ({}); reading the video again", video.path(),
                        m.frameMs(), e.getMessage());
                return null;
            }
            if (img == null || Math.min(img.getWidth(), img.getHeight()) < needed) {
                return null;
            }
            out.add(img);
        }
        return out;
    }
}
