package io.ocular.index;

/**
 * One JPEG Huffman table (ITU T.81 Annex C / F.2.2.3): a 9-bit lookup for the short codes and the canonical
 * max-code search for the rest. Tables that break the canonical code (too many codes for a length, the
 * all-ones code used) are refused as libjpeg refuses them.
 */
final class JpegHuffman {
    static final int LOOKUP_BITS = 9;

    /** Per 9-bit prefix: (code length << 8) | value, or 0 when the code is longer than 9 bits. */
    final int[] lookup = new int[1 << LOOKUP_BITS];
    /**
     * AC tables only, per 9-bit prefix: a code and its magnitude bits that fit in 9 bits together, as
     * (value << 16) | (run << 8) | total bits; 0 otherwise (end of block, ZRL, longer codes).
     */
    final int[] fastAc = new int[1 << LOOKUP_BITS];
    /** Largest code of each length 1..16 (-1: none); index 17 is a sentinel. */
    final int[] maxCode = new int[18];
    /** Index into {@code values} of the first code of each length, minus that code. */
    final int[] valOffset = new int[17];
    final int[] values;

    private JpegHuffman(int[] values) {
        this.values = values;
    }

    /** {@code counts[1..16]}: codes per length; DC tables may only code magnitudes up to 11 bits. */
    static JpegHuffman build(int[] counts, int[] values, boolean dc) {
        JpegHuffman t = new JpegHuffman(values);
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            t.valOffset[len] = k - code;
            if (counts[len] == 0) {
                t.maxCode[len] = -1;
            } else {
                for (int i = 0; i < counts[len]; i++) {
                    if (code >= (1 << len) - 1) {
                        throw ScaledJpegDecoder.UNSUPPORTED;   // over-subscribed, or the reserved all-ones code
                    }
                    int v = values[k];
                    if (dc && v > 11) {
                        throw ScaledJpegDecoder.UNSUPPORTED;
                    }
                    if (len <= LOOKUP_BITS) {
                        int shift = LOOKUP_BITS - len;
                        int base = code << shift;
                        int run = v >> 4;
                        int size = v & 15;
                        for (int j = 0; j < (1 << shift); j++) {
                            t.lookup[base + j] = (len << 8) | v;
                            if (!dc && size != 0 && len + size <= LOOKUP_BITS) {
                                int m = j >> (shift - size);              // the magnitude bits after the code
                                int value = m < (1 << (size - 1)) ? m - (1 << size) + 1 : m;
                                t.fastAc[base + j] = (value << 16) | (run << 8) | (len + size);
                            }
                        }
                    }
                    code++;
                    k++;
                }
                t.maxCode[len] = code - 1;
            }
            code <<= 1;
        }
        t.maxCode[17] = Integer.MAX_VALUE;
        return t;
    }
}
