package io.ocular.index;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Generates small test images on the fly (nothing binary is committed). */
final class TestImages {
    private TestImages() {
    }

    /** Four coloured quadrants: top-left red, top-right green, bottom-left blue, bottom-right white. */
    static BufferedImage quadrants(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h / 2);
        g.setColor(Color.GREEN);
        g.fillRect(w / 2, 0, w - w / 2, h / 2);
        g.setColor(Color.BLUE);
        g.fillRect(0, h / 2, w / 2, h - h / 2);
        g.setColor(Color.WHITE);
        g.fillRect(w / 2, h / 2, w - w / 2, h - h / 2);
        g.dispose();
        return img;
    }

    static BufferedImage solid(int w, int h, Color c) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    /** A distinct image per seed (different colours give different fake-encoder vectors). */
    static BufferedImage seeded(int seed, int w, int h) {
        java.util.Random r = new java.util.Random(seed);
        BufferedImage img = solid(w, h, new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillRect(r.nextInt(w / 2), r.nextInt(h / 2), w / 2, h / 2);
        g.dispose();
        return img;
    }

    static Path write(BufferedImage img, String format, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
        return file;
    }

    static byte[] jpegBytes(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    /**
     * A JPEG with a hand-built EXIF APP1 segment (orientation and DateTimeOriginal), inserted after JFIF APP0.
     * Big-endian TIFF: IFD0 {Orientation, ExifIFD pointer}, ExifIFD {DateTimeOriginal}.
     */
    static Path jpegWithExif(BufferedImage img, int orientation, String dateTimeOriginal, Path file) throws IOException {
        byte[] jpeg = jpegBytes(img);
        ByteBuffer tiff = ByteBuffer.allocate(76);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        tiff.putShort((short) 1);
        tiff.putShort((short) 0x9003).putShort((short) 2).putInt(20).putInt(56);
        tiff.putInt(0);
        byte[] date = (dateTimeOriginal + "\0").getBytes(StandardCharsets.US_ASCII);
        if (date.length != 20) {
            throw new IllegalArgumentException("date must be yyyy:MM:dd HH:mm:ss");
        }
        tiff.put(date);
        byte[] exifHeader = "Exif\0\0".getBytes(StandardCharsets.US_ASCII);
        int len = 2 + exifHeader.length + tiff.capacity();
        ByteArrayOutputStream app1 = new ByteArrayOutputStream();
        app1.write(0xFF);
        app1.write(0xE1);
        app1.write(len >> 8);
        app1.write(len & 0xFF);
        app1.write(exifHeader);
        app1.write(tiff.array());
        int insertAt = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) { // after JFIF APP0
            insertAt = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, insertAt);
        out.write(app1.toByteArray());
        out.write(jpeg, insertAt, jpeg.length - insertAt);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, out.toByteArray());
        return file;
    }

    /**
     * A real, valid PNG of {@code w x h} pixels, written row by row without ever holding the image: 1-bit
     * palette (index 0 red, 1 blue), top half red, bottom half blue. 20000 x 10000 is ~25 MB raw, a few
     * hundred KB on disk.
     */
    static Path streamedTwoColourPng(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 1).put((byte) 3)
                    .put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "PLTE", new byte[]{(byte) 255, 0, 0, 0, 0, (byte) 255});
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            int rowBytes = (w + 7) / 8;
            byte[] red = new byte[1 + rowBytes];
            byte[] blue = new byte[1 + rowBytes];
            java.util.Arrays.fill(blue, 1, blue.length, (byte) 0xFF);
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
                for (int y = 0; y < h; y++) {
                    z.write(y < h / 2 ? red : blue);
                }
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /** A PNG whose header claims {@code w x h} but holds no pixel data (a decompression-bomb shape). */
    static Path pngHeaderOnly(Path file, int w, int h) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
            out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                    .put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean nonAsciiPathsSupported() {
        return "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
    }

    /** Mean colour of a region as {r, g, b}. */
    static int[] mean(BufferedImage img, int x0, int y0, int w, int h) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int p = img.getRGB(x, y);
                r += (p >> 16) & 0xff;
                g += (p >> 8) & 0xff;
                b += p & 0xff;
            }
        }
        long n = (long) w * h;
        return new int[]{(int) (r / n), (int) (g / n), (int) (b / n)};
    }
}
