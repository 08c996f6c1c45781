package io.ocular.index;

import java.nio.charset.StandardCharsets;

/**
 * The markers of a JPEG up to its first scan, parsed for {@link ScaledJpegDecoder}: the frame (size,
 * components, sampling), quantisation and Huffman tables, restart interval and colour hints. Accepts only what
 * that decoder handles — baseline or extended sequential Huffman, 8-bit samples, 1 or 3 components with
 * sampling factors 1 or 2, one scan holding every component — and throws {@link ScaledJpegDecoder.Unsupported}
 * for anything else (progressive, lossless, arithmetic coding, 12-bit, CMYK, RGB, a colour profile that is not
 * sRGB, several scans) or for a header that breaks the format, so that the caller decodes with ImageIO instead.
 * Every length is checked against the bytes present before it is used; nothing is allocated from header values
 * except tables of fixed size.
 */
final class JpegHeader {
    /** Components of the frame, in frame order (= scan order, checked). */
    final Component[] components;
    final int width;
    final int height;
    final int restartInterval;
    /** Offset of the first byte of entropy-coded data of the (only) scan. */
    final int scanStart;

    /** One frame component with the tables its scan uses. */
    static final class Component {
        final int id;
        final int h;
        final int v;
        final int[] quant;       // 64 entries, zigzag order
        JpegHuffman dc;
        JpegHuffman ac;

        Component(int id, int h, int v, int[] quant) {
            this.id = id;
            this.h = h;
            this.v = v;
            this.quant = quant;
        }
    }

    private JpegHeader(Component[] components, int width, int height, int restartInterval, int scanStart) {
        this.components = components;
        this.width = width;
        this.height = height;
        this.restartInterval = restartInterval;
        this.scanStart = scanStart;
    }

    /** Parses {@code data[0, end)} up to the first SOS. */
    static JpegHeader parse(byte[] data, int end) {
        if (end < 4 || u8(data, 0) != 0xFF || u8(data, 1) != 0xD8) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        int[][] quant = new int[4][];
        JpegHuffman[] dc = new JpegHuffman[4];
        JpegHuffman[] ac = new JpegHuffman[4];
        int[] frame = null;   // width, height, then per component: id, h, v, tq
        int restart = 0;
        boolean jfif = false;
        int adobeTransform = -1;
        boolean nonSrgbProfile = false;
        int pos = 2;
        while (true) {
            if (pos + 4 > end || u8(data, pos) != 0xFF) {
                throw ScaledJpegDecoder.UNSUPPORTED;   // garbage between segments: let ImageIO judge it
            }
            while (pos + 4 <= end && u8(data, pos + 1) == 0xFF) {
                pos++;                                 // fill bytes before a marker
            }
            if (pos + 4 > end) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            int marker = u8(data, pos + 1);
            int len = u16(data, pos + 2);
            int body = pos + 4;
            int next = pos + 2 + len;
            if (len < 2 || next > end || marker == 0xD8 || marker == 0xD9 || marker == 0x01
                    || (marker >= 0xD0 && marker <= 0xD7)) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            switch (marker) {
                case 0xC0, 0xC1 -> {
                    if (frame != null) {
                        throw ScaledJpegDecoder.UNSUPPORTED;
                    }
                    frame = frame(data, body, next);
                }
                case 0xC4 -> huffmanTables(data, body, next, dc, ac);
                case 0xDB -> quantTables(data, body, next, quant);
                case 0xDD -> {
                    if (len != 4) {
                        throw ScaledJpegDecoder.UNSUPPORTED;
                    }
                    restart = u16(data, body);
                }
                case 0xE0 -> jfif |= startsWith(data, body, next, "JFIF\0");
                case 0xE2 -> {
                    if (startsWith(data, body, next, "ICC_PROFILE\0")) {
                        nonSrgbProfile |= !mentions(data, body, next, "sRGB");
                    }
                }
                case 0xEE -> {
                    if (startsWith(data, body, next, "Adobe") && next - body >= 12) {
                        adobeTransform = u8(data, body + 11);
                    }
                }
                case 0xDA -> {
                    if (frame == null) {
                        throw ScaledJpegDecoder.UNSUPPORTED;
                    }
                    Component[] comps = scan(data, body, next, frame, quant, dc, ac);
                    checkColour(comps, jfif, adobeTransform, nonSrgbProfile);
                    return new JpegHeader(comps, frame[0], frame[1], restart, next);
                }
                default -> {
                    if ((marker >= 0xC2 && marker <= 0xCF) || marker == 0xDC || marker == 0xDE || marker == 0xDF) {
                        throw ScaledJpegDecoder.UNSUPPORTED;  // progressive, lossless, arithmetic, DNL, hierarchical
                    }
                    // APPn, COM and others: skipped
                }
            }
            pos = next;
        }
    }

    /** SOF0/SOF1: 8-bit precision, size, 1 or 3 components with sampling 1 or 2. */
    private static int[] frame(byte[] data, int body, int next) {
        if (next - body < 6 || u8(data, body) != 8) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        int height = u16(data, body + 1);
        int width = u16(data, body + 3);
        int n = u8(data, body + 5);
        if (width == 0 || height == 0 || (n != 1 && n != 3) || next - body != 6 + 3 * n) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        int[] f = new int[2 + 4 * n];
        f[0] = width;
        f[1] = height;
        for (int i = 0; i < n; i++) {
            int p = body + 6 + 3 * i;
            int h = u8(data, p + 1) >> 4;
            int v = u8(data, p + 1) & 15;
            int tq = u8(data, p + 2);
            if (h < 1 || h > 2 || v < 1 || v > 2 || tq > 3) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            for (int j = 0; j < i; j++) {
                if (f[2 + 4 * j] == u8(data, p)) {
                    throw ScaledJpegDecoder.UNSUPPORTED;  // duplicate component id
                }
            }
            f[2 + 4 * i] = u8(data, p);
            f[3 + 4 * i] = n == 1 ? 1 : h;   // a lone component is never interleaved: its MCU is one block
            f[4 + 4 * i] = n == 1 ? 1 : v;
            f[5 + 4 * i] = tq;
        }
        return f;
    }

    private static void quantTables(byte[] data, int p, int next, int[][] quant) {
        while (p < next) {
            int pq = u8(data, p) >> 4;
            int tq = u8(data, p) & 15;
            int size = pq == 0 ? 64 : 128;
            if (pq > 1 || tq > 3 || p + 1 + size > next) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            int[] q = new int[64];
            for (int k = 0; k < 64; k++) {
                q[k] = pq == 0 ? u8(data, p + 1 + k) : u16(data, p + 1 + 2 * k);
            }
            quant[tq] = q;
            p += 1 + size;
        }
    }

    private static void huffmanTables(byte[] data, int p, int next, JpegHuffman[] dc, JpegHuffman[] ac) {
        while (p < next) {
            if (p + 17 > next) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            int tc = u8(data, p) >> 4;
            int th = u8(data, p) & 15;
            int total = 0;
            int[] counts = new int[17];
            for (int l = 1; l <= 16; l++) {
                counts[l] = u8(data, p + l);
                total += counts[l];
            }
            if (tc > 1 || th > 3 || total > 256 || p + 17 + total > next) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            int[] values = new int[total];
            for (int i = 0; i < total; i++) {
                values[i] = u8(data, p + 17 + i);
            }
            JpegHuffman table = JpegHuffman.build(counts, values, tc == 0);
            if (tc == 0) {
                dc[th] = table;
            } else {
                ac[th] = table;
            }
            p += 17 + total;
        }
    }

    /** SOS: one sequential scan with every frame component, in frame order, with defined tables. */
    private static Component[] scan(byte[] data, int body, int next, int[] frame, int[][] quant,
                                    JpegHuffman[] dc, JpegHuffman[] ac) {
        int n = (frame.length - 2) / 4;
        if (next - body != 4 + 2 * n || u8(data, body) != n) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        int ss = u8(data, body + 1 + 2 * n);
        int se = u8(data, body + 2 + 2 * n);
        int ahal = u8(data, body + 3 + 2 * n);
        if (ss != 0 || se != 63 || ahal != 0) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        Component[] comps = new Component[n];
        for (int i = 0; i < n; i++) {
            int cs = u8(data, body + 1 + 2 * i);
            int td = u8(data, body + 2 + 2 * i) >> 4;
            int ta = u8(data, body + 2 + 2 * i) & 15;
            int tq = frame[5 + 4 * i];
            if (cs != frame[2 + 4 * i] || td > 3 || ta > 3 || dc[td] == null || ac[ta] == null
                    || quant[tq] == null) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            comps[i] = new Component(cs, frame[3 + 4 * i], frame[4 + 4 * i], quant[tq]);
            comps[i].dc = dc[td];
            comps[i].ac = ac[ta];
        }
        return comps;
    }

    /**
     * Three components are decoded as YCbCr the way the JDK's reader decides it: YCbCr with a JFIF marker or an
     * Adobe marker saying so (transform 1), RGB with an Adobe transform 0 or ids 'R','G','B' (not handled here).
     * A colour profile other than sRGB is left to ImageIO too.
     */
    private static void checkColour(Component[] comps, boolean jfif, int adobeTransform, boolean nonSrgbProfile) {
        if (nonSrgbProfile) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        if (comps.length == 3) {
            if (adobeTransform == 0 || (adobeTransform > 1)) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            boolean rgbIds = comps[0].id == 'R' && comps[1].id == 'G' && comps[2].id == 'B';
            if (!jfif && adobeTransform != 1 && rgbIds) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
        }
    }

    private static boolean startsWith(byte[] data, int p, int next, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if (next - p < b.length) {
            return false;
        }
        for (int i = 0; i < b.length; i++) {
            if (data[p + i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean mentions(byte[] data, int p, int next, String s) {
        for (int i = p; i + s.length() <= next; i++) {
            if (startsWith(data, i, next, s)) {
                return true;
            }
        }
        return false;
    }

    static int u8(byte[] data, int p) {
        return data[p] & 0xFF;
    }

    private static int u16(byte[] data, int p) {
        return (u8(data, p) << 8) | u8(data, p + 1);
    }
}
