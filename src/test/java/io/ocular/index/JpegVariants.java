package io.ocular.index;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * JPEGs written at test time with the JDK's writer in the layouts {@link ScaledJpegDecoder} handles (and one it
 * does not): chroma sampling 4:2:0 / 4:2:2 / 4:4:4, greyscale, restart intervals, progressive.
 */
final class JpegVariants {
    enum Layout { S420, S422, S444, GREY, PROGRESSIVE }

    private JpegVariants() {
    }

    /** {@code img} as a JPEG of the given layout, quality and restart interval (0: none). */
    static byte[] write(BufferedImage img, Layout layout, float quality, int restartInterval) throws IOException {
        BufferedImage src = layout == Layout.GREY ? grey(img) : img;
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (layout == Layout.PROGRESSIVE) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata meta = writer.getDefaultImageMetadata(new ImageTypeSpecifier(src), param);
            String format = "javax_imageio_jpeg_image_1.0";
            Node tree = meta.getAsTree(format);
            Element seq = (Element) ((Element) tree).getElementsByTagName("markerSequence").item(0);
            NodeList specs = seq.getElementsByTagName("componentSpec");
            for (int i = 0; i < specs.getLength(); i++) {
                Element spec = (Element) specs.item(i);
                int h = 1;
                int v = 1;
                if (i == 0 && layout == Layout.S420) {
                    h = 2;
                    v = 2;
                } else if (i == 0 && layout == Layout.S422) {
                    h = 2;
                }
                spec.setAttribute("HsamplingFactor", String.valueOf(h));
                spec.setAttribute("VsamplingFactor", String.valueOf(v));
            }
            if (restartInterval > 0) {
                Element dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restartInterval));
                seq.insertBefore(dri, seq.getElementsByTagName("sof").item(0));
            }
            meta.setFromTree(format, tree);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(src, null, meta), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    /** {@code img} scaled to {@code w} x {@code h} with bicubic interpolation (a photo blown up to 12 MP). */
    static BufferedImage scaled(BufferedImage img, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(img, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static BufferedImage grey(BufferedImage img) {
        BufferedImage g = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D gr = g.createGraphics();
        try {
            gr.drawImage(img, 0, 0, null);
        } finally {
            gr.dispose();
        }
        return g;
    }
}
