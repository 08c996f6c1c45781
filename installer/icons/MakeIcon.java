import javax.imageio.ImageIO;
import java.awt.*;
import java.awt.geom.*;
import java.awt.image.BufferedImage;
import java.io.File;

/** Draws Ocular's application icon (an eye-shaped lens) at the sizes the installers need: java MakeIcon.java */
public class MakeIcon {
    public static void main(String[] args) throws Exception {
        // Linux (jpackage --icon takes a PNG), Windows (.ico) and macOS (.icns), all from the same drawing;
        // ICO and ICNS both allow embedded PNG images, so no imaging library is needed.
        ImageIO.write(draw(256), "png", new File("ocular.png"));
        int[] ico = {16, 32, 48, 256};
        writeContainer("ocular.ico", ico, true);
        writeContainer("ocular.icns", new int[]{128, 256, 512}, false);
        File res = new File("../../src/main/resources/io/ocular/app");
        res.mkdirs();
        for (int size : new int[]{32, 64, 256}) {
            ImageIO.write(draw(size), "png", new File(res, "ocular-" + size + ".png"));
        }
    }

    static byte[] png(int size) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(draw(size), "png", out);
        return out.toByteArray();
    }

    static void writeContainer(String name, int[] sizes, boolean ico) throws java.io.IOException {
        byte[][] data = new byte[sizes.length][];
        int payload = 0;
        for (int i = 0; i < sizes.length; i++) {
            data[i] = png(sizes[i]);
            payload += data[i].length;
        }
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.FileOutputStream(name))) {
            if (ico) { // ICONDIR + one ICONDIRENTRY per image (little-endian), then the PNGs
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(6 + 16 * sizes.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
                int offset = 6 + 16 * sizes.length;
                for (int i = 0; i < sizes.length; i++) {
                    byte dim = (byte) (sizes[i] >= 256 ? 0 : sizes[i]);
                    b.put(dim).put(dim).put((byte) 0).put((byte) 0).putShort((short) 1).putShort((short) 32);
                    b.putInt(data[i].length).putInt(offset);
                    offset += data[i].length;
                }
                out.write(b.array());
                for (byte[] d : data) out.write(d);
            } else { // 'icns' + big-endian total length, then (type, length, PNG) entries
                String[] types = {"ic07", "ic08", "ic09"};
                out.writeBytes("icns");
                out.writeInt(8 + 8 * sizes.length + payload);
                for (int i = 0; i < sizes.length; i++) {
                    out.writeBytes(types[i]);
                    out.writeInt(8 + data[i].length);
                    out.write(data[i]);
                }
            }
        }
    }

    static BufferedImage draw(int s) {
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        double m = s * 0.04;
        RoundRectangle2D bg = new RoundRectangle2D.Double(m, m, s - 2 * m, s - 2 * m, s * 0.38, s * 0.38);
        g.setPaint(new GradientPaint(0, 0, new Color(0x2B, 0x5D, 0xD8), s, s, new Color(0x12, 0x2A, 0x63)));
        g.fill(bg);
        // eye outline: two arcs meeting at the corners
        double w = s * 0.78, h = s * 0.46, x0 = (s - w) / 2, y0 = (s - h) / 2;
        Path2D eye = new Path2D.Double();
        eye.moveTo(x0, s / 2.0);
        eye.quadTo(s / 2.0, y0 - h * 0.45, x0 + w, s / 2.0);
        eye.quadTo(s / 2.0, y0 + h * 1.45, x0, s / 2.0);
        eye.closePath();
        g.setColor(new Color(0xF4, 0xF7, 0xFF));
        g.fill(eye);
        double r = s * 0.19;
        g.setPaint(new RadialGradientPaint(new Point2D.Double(s / 2.0, s / 2.0), (float) r,
                new float[]{0f, 0.55f, 1f}, new Color[]{new Color(0x0B, 0x16, 0x33), new Color(0x1F, 0x8E, 0xA8), new Color(0x35, 0xC2, 0x9A)}));
        g.fill(new Ellipse2D.Double(s / 2.0 - r, s / 2.0 - r, 2 * r, 2 * r));
        double p = r * 0.45;
        g.setColor(new Color(0x08, 0x0E, 0x20));
        g.fill(new Ellipse2D.Double(s / 2.0 - p, s / 2.0 - p, 2 * p, 2 * p));
        double gl = r * 0.28;
        g.setColor(new Color(255, 255, 255, 220));
        g.fill(new Ellipse2D.Double(s / 2.0 + r * 0.15, s / 2.0 - r * 0.6, gl, gl));
        g.dispose();
        return img;
    }
}
