package io.ocular.index;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * Decodes a baseline JPEG at 1/2, 1/4 or 1/8 of its size in the DCT domain, as libjpeg's {@code scale_denom}
 * does: at 1/8 each 8 x 8 block becomes one pixel (its DC coefficient, no IDCT), at 1/4 and 1/2 a 2 x 2 or 4 x 4
 * IDCT of the block's low-frequency coefficients. Chroma blocks of subsampled components get the IDCT size that
 * lands them at the luma's output resolution (4:2:0 at 1/8: a 2 x 2 chroma IDCT), so no upsampling pass is needed.
 *
 * <p>Why hand-written: the JDK's JPEG reader (libjpeg 6b inside the JDK) decodes and inverse-transforms every block
 * even with source subsampling — about 220 ms of one core for a 12-megapixel phone photo, where indexing needs a
 * 224-pixel image (decision 0230). No maintained pure-Java library decodes JPEG at reduced scale (TwelveMonkeys
 * delegates baseline JPEG to the JDK's reader; Apache Commons Imaging decodes at full size); the native routes
 * (libjpeg-turbo through OpenCV/bytedeco, ~100 MB of platform natives) are out of proportion to ~500 lines.
 *
 * <p>Scope: what phones and cameras write — sequential Huffman, 8-bit, greyscale or YCbCr, sampling 4:4:4, 4:2:2,
 * 4:4:0, 4:2:0, restart markers. Anything else, and any deviation from the format (a corrupt Huffman code, a
 * missing restart marker, data ending before the last block, no EOI), makes {@link #decode} return null and the
 * caller decodes with ImageIO, which then reports what is wrong in the usual words. The output is bounded by the
 * checked header size divided by the scale; the entropy decoder never reads past the array.
 */
final class ScaledJpegDecoder {
    /** Thrown for anything this decoder does not handle; shared and stackless (it is control flow). */
    static final Unsupported UNSUPPORTED = new Unsupported();

    /** Natural (row-major) index of each zigzag position. */
    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63,
    };

    /** LAST_NEEDED[w][h]: the last zigzag position inside the w x h low-frequency corner of a block. */
    private static final int[][] LAST_NEEDED = new int[9][9];

    static {
        for (int w = 1; w <= 8; w++) {
            for (int h = 1; h <= 8; h++) {
                for (int k = 0; k < 64; k++) {
                    if (ZIGZAG[k] >> 3 < h && (ZIGZAG[k] & 7) < w) {
                        LAST_NEEDED[w][h] = k;
                    }
                }
            }
        }
    }

    /** IDCT_N[n][i * n + u]: C(u)/2 cos((2i+1)u pi / 2n), the n-point reduced IDCT of libjpeg's jidctred. */
    private static final float[][] IDCT = new float[9][];

    static {
        for (int n = 1; n <= 8; n <<= 1) {
            float[] t = new float[n * n];
            for (int i = 0; i < n; i++) {
                for (int u = 0; u < n; u++) {
                    double c = u == 0 ? Math.sqrt(0.5) : 1;
                    t[i * n + u] = (float) (c / 2 * Math.cos((2 * i + 1) * u * Math.PI / (2 * n)));
                }
            }
            IDCT[n] = t;
        }
    }

    /** libjpeg's jdcolor.c tables (16-bit fixed point): R = Y + 1.402 Cr', G = Y - 0.34414 Cb' - 0.71414 Cr', B = Y + 1.772 Cb'. */
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];
    private static final int RANGE_OFFSET = 384;
    /** Clamps [-384, 639] to [0, 255] by lookup. */
    private static final int[] RANGE = new int[1024];

    static {
        int one = 1 << 16;
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (int) ((Math.round(1.40200 * one) * x + one / 2) >> 16);
            CB_B[i] = (int) ((Math.round(1.77200 * one) * x + one / 2) >> 16);
            CR_G[i] = (int) -Math.round(0.71414 * one) * x;
            CB_G[i] = (int) -Math.round(0.34414 * one) * x + one / 2;
        }
        for (int i = 0; i < RANGE.length; i++) {
            RANGE[i] = Math.max(0, Math.min(255, i - RANGE_OFFSET));
        }
    }

    /** Control flow for "decode with ImageIO instead". */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Unsupported() {
            super("not decodable at reduced scale", null, false, false);
        }
    }

    private ScaledJpegDecoder() {
    }

    /** The scale denominators this decoder offers, largest first. */
    static final int[] DENOMINATORS = {8, 4, 2};

    /**
     * Largest denominator that keeps the chosen side (shorter, or longer when fitting) at least {@code target},
     * or 1 when even 1/2 would be smaller (then nothing is gained over ImageIO).
     */
    static int denominator(int w, int h, int target, boolean fitLongSide) {
        int side = fitLongSide ? Math.max(w, h) : Math.min(w, h);
        for (int d : DENOMINATORS) {
            if ((side + d - 1) / d >= target) {
                return d;
            }
        }
        return 1;
    }

    /**
     * Decodes {@code data[0, length)} at 1/{@code denom} scale to {@code TYPE_INT_RGB}, or returns null when the
     * file is outside this decoder's scope or breaks the format. {@code width} x {@code height} is the size the
     * caller already checked against its pixel bound (from ImageIO's header read); a frame of another size is
     * refused.
     */
    static BufferedImage decode(byte[] data, int length, int denom, int width, int height) {
        try {
            return decodeOrThrow(data, length, denom, width, height);
        } catch (Unsupported e) {
            return null;
        }
    }

    /** As {@link #decode}, throwing {@link Unsupported} instead of returning null (fuzzing sees every path). */
    static BufferedImage decodeOrThrow(byte[] data, int length, int denom, int width, int height) {
        if (denom != 2 && denom != 4 && denom != 8 || length > data.length) {
            throw new IllegalArgumentException("denominator 2, 4 or 8 and a length within the data");
        }
        JpegHeader header = JpegHeader.parse(data, length);
        if (header.width != width || header.height != height) {
            throw UNSUPPORTED;
        }
        return new Scan(data, length, header, 8 / denom).run();
    }

    /** One baseline scan decoded into component planes at output resolution, then converted to RGB. */
    private static final class Scan {
        private final JpegHeader header;
        private final JpegHeader.Component[] comps;
        private final int scale;            // output pixels per 8 source pixels: 1, 2 or 4
        private final int mcusX;
        private final int mcusY;
        private final int planeW;          // output resolution rounded up to whole MCUs
        private final byte[][] planes;
        private final int[] blockW;        // IDCT output size per component: scale * hMax / h by scale * vMax / v
        private final int[] blockH;
        private final int[] dcPred;
        private final float[] coef = new float[64];
        private final float[] tmp = new float[64];
        private final JpegBits bits;

        Scan(byte[] data, int length, JpegHeader header, int scale) {
            this.header = header;
            this.comps = header.components;
            this.scale = scale;
            int hm = 1;
            int vm = 1;
            for (JpegHeader.Component c : comps) {
                hm = Math.max(hm, c.h);
                vm = Math.max(vm, c.v);
            }
            this.mcusX = ceilDiv(header.width, 8 * hm);
            this.mcusY = ceilDiv(header.height, 8 * vm);
            // Every component is decoded at the output resolution: a subsampled chroma block gets a larger
            // reduced IDCT (4:2:0 at 1/8: 2 x 2) instead of an upsampling pass, which replicating or
            // interpolating would need and which costs more than the IDCT of a few coefficients. The planes are
            // the output (width/denom x height/denom, bounded by the caller's checked pixel count) rounded up to
            // whole MCUs.
            this.planeW = mcusX * scale * hm;
            this.planes = new byte[comps.length][planeW * mcusY * scale * vm];
            this.blockW = new int[comps.length];
            this.blockH = new int[comps.length];
            for (int i = 0; i < comps.length; i++) {
                blockW[i] = scale * hm / comps[i].h;
                blockH[i] = scale * vm / comps[i].v;
            }
            this.dcPred = new int[comps.length];
            this.bits = new JpegBits(data, header.scanStart, length);
        }

        BufferedImage run() {
            int restart = header.restartInterval;
            int total = mcusX * mcusY;
            int expectRst = 0;
            for (int mcu = 0; mcu < total; mcu++) {
                if (restart > 0 && mcu > 0 && mcu % restart == 0) {
                    bits.restart(expectRst);
                    expectRst = (expectRst + 1) & 7;
                    Arrays.fill(dcPred, 0);
                }
                int mx = mcu % mcusX;
                int my = mcu / mcusX;
                for (int c = 0; c < comps.length; c++) {
                    JpegHeader.Component comp = comps[c];
                    for (int by = 0; by < comp.v; by++) {
                        for (int bx = 0; bx < comp.h; bx++) {
                            block(c, comp, (mx * comp.h + bx) * blockW[c], (my * comp.v + by) * blockH[c]);
                        }
                    }
                }
                bits.checkNotPastEnd();
            }
            bits.finish();
            return toRgb();
        }

        /** Entropy-decodes one block, keeps its low-frequency corner and writes the reduced IDCT at (x0, y0). */
        private void block(int c, JpegHeader.Component comp, int x0, int y0) {
            int nw = blockW[c];
            int nh = blockH[c];
            int[] q = comp.quant;
            int t = bits.decode(comp.dc);
            int diff = t == 0 ? 0 : bits.receiveExtend(t);
            dcPred[c] += diff;
            for (int i = 0; i < nw * nh; i++) {
                coef[i] = 0;
            }
            coef[0] = dcPred[c] * q[0];
            JpegHuffman ac = comp.ac;
            int last = LAST_NEEDED[nw][nh];
            int k = 1;
            for (; k <= last; k++) {
                int fast = bits.fastAc(ac);       // run, size and value in one lookup when they fit in 9 bits
                int r;
                int v;
                if (fast != 0) {
                    r = (fast >> 8) & 15;
                    v = fast >> 16;
                } else {
                    int rs = bits.decode(ac);
                    r = rs >> 4;
                    int sz = rs & 15;
                    if (sz == 0) {
                        if (r != 15) {
                            k = 64;         // end of block
                            break;
                        }
                        k += 15;
                        continue;
                    }
                    if (sz > 10) {
                        throw UNSUPPORTED;
                    }
                    v = bits.receiveExtend(sz);
                }
                k += r;
                if (k > 63) {
                    throw UNSUPPORTED;
                }
                int z = ZIGZAG[k];
                int row = z >> 3;
                int col = z & 7;
                if (row < nh && col < nw) {
                    coef[row * nw + col] = v * q[k];
                }
            }
            if (k <= 63) {
                bits.skipAc(ac, k);   // the rest of the block lies outside the n x n corner: decoded, not kept
            }
            byte[] plane = planes[c];
            int pw = planeW;
            if (nw == 1 && nh == 1) {
                plane[y0 * pw + x0] = clamp(coef[0] / 8 + 128);
            } else if (nw == 2 && nh == 2) {                      // 2-point IDCT: both basis values are +-sqrt(2)/4
                float a = coef[0] + coef[1];
                float b = coef[0] - coef[1];
                float e = coef[2] + coef[3];
                float f = coef[2] - coef[3];
                int p = y0 * pw + x0;
                plane[p] = clamp((a + e) * 0.125f + 128);
                plane[p + 1] = clamp((b + f) * 0.125f + 128);
                plane[p + pw] = clamp((a - e) * 0.125f + 128);
                plane[p + pw + 1] = clamp((b - f) * 0.125f + 128);
            } else {
                idct(plane, pw, x0, y0, nw, nh);
            }
        }

        /** The nw x nh reduced IDCT of {@code coef} (row-major, nw wide), separable: rows then columns. */
        private void idct(byte[] plane, int pw, int x0, int y0, int nw, int nh) {
            float[] tx = IDCT[nw];
            float[] ty = IDCT[nh];
            for (int v = 0; v < nh; v++) {          // rows: tmp[v][x] = sum_u tx[x][u] coef[v][u]
                for (int x = 0; x < nw; x++) {
                    float sum = 0;
                    for (int u = 0; u < nw; u++) {
                        sum += tx[x * nw + u] * coef[v * nw + u];
                    }
                    tmp[v * nw + x] = sum;
                }
            }
            for (int y = 0; y < nh; y++) {          // columns: out[y][x] = sum_v ty[y][v] tmp[v][x]
                int rowStart = (y0 + y) * pw + x0;
                for (int x = 0; x < nw; x++) {
                    float sum = 0;
                    for (int v = 0; v < nh; v++) {
                        sum += ty[y * nh + v] * tmp[v * nw + x];
                    }
                    plane[rowStart + x] = clamp(sum + 128);
                }
            }
        }

        /**
         * JFIF YCbCr (or grey) to opaque RGB, cropped to width/denom x height/denom, with libjpeg's fixed-point
         * conversion tables.
         */
        private BufferedImage toRgb() {
            int outW = ceilDiv(header.width * scale, 8);
            int outH = ceilDiv(header.height * scale, 8);
            BufferedImage img = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
            int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
            byte[] yp = planes[0];
            int pw = planeW;
            if (comps.length == 1) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        int g = yp[y * pw + x] & 0xFF;
                        rgb[y * outW + x] = (g << 16) | (g << 8) | g;
                    }
                }
                return img;
            }
            byte[] cbp = planes[1];
            byte[] crp = planes[2];
            for (int y = 0; y < outH; y++) {
                int src = y * pw;
                int dst = y * outW;
                for (int x = 0; x < outW; x++) {
                    int luma = yp[src + x] & 0xFF;
                    int cb = cbp[src + x] & 0xFF;
                    int cr = crp[src + x] & 0xFF;
                    int r = RANGE[luma + CR_R[cr] + RANGE_OFFSET];
                    int g = RANGE[luma + ((CB_G[cb] + CR_G[cr]) >> 16) + RANGE_OFFSET];
                    int b = RANGE[luma + CB_B[cb] + RANGE_OFFSET];
                    rgb[dst + x] = (r << 16) | (g << 8) | b;
                }
            }
            return img;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static byte clamp(float v) {
        return (byte) clampInt(v);
    }

    private static int clampInt(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(i, 255);
    }
}
