package io.ocular.index;

/**
 * The entropy-coded bits of one JPEG scan: 0xFF 0x00 unstuffing, restart markers, and the end of the data.
 * At a marker (or the end of the array) the reader feeds zero bits and counts them; a block that consumed any
 * of them ran past its segment — truncated or corrupt data — and {@link #checkNotPastEnd} refuses it (libjpeg
 * pads the same way and warns; we hand the file to ImageIO instead, which reports it). Never reads outside
 * {@code data[start, end)}.
 */
final class JpegBits {
    private final byte[] data;
    private final int end;
    private int pos;
    /** Valid bits, most significant first. */
    private long acc;
    private int count;
    /** Zero bits fed after a marker or the end of the data, still in {@code acc} or consumed. */
    private int padBits;
    private boolean atMarker;

    JpegBits(byte[] data, int start, int end) {
        this.data = data;
        this.pos = start;
        this.end = end;
    }

    private void fill() {
        while (count <= 56) {
            int b = 0;
            if (!atMarker) {
                if (pos >= end) {
                    atMarker = true;
                } else {
                    b = data[pos] & 0xFF;
                    if (b == 0xFF) {
                        if (pos + 1 < end && data[pos + 1] == 0) {
                            pos += 2;
                        } else {
                            atMarker = true;     // stays at the marker for restart/finish
                            b = 0;
                        }
                    } else {
                        pos++;
                    }
                }
            }
            if (atMarker) {
                padBits += 8;
            }
            acc |= (long) b << (56 - count);
            count += 8;
        }
    }

    /** One Huffman-coded symbol. */
    int decode(JpegHuffman t) {
        if (count < 32) {
            fill();
        }
        int e = t.lookup[(int) (acc >>> (64 - JpegHuffman.LOOKUP_BITS))];
        if (e != 0) {
            int len = e >> 8;
            acc <<= len;
            count -= len;
            return e & 0xFF;
        }
        for (int len = JpegHuffman.LOOKUP_BITS + 1; len <= 16; len++) {
            int code = (int) (acc >>> (64 - len));
            if (code <= t.maxCode[len]) {
                int idx = t.valOffset[len] + code;
                if (idx < 0 || idx >= t.values.length) {
                    throw ScaledJpegDecoder.UNSUPPORTED;
                }
                acc <<= len;
                count -= len;
                return t.values[idx];
            }
        }
        throw ScaledJpegDecoder.UNSUPPORTED;   // no such code: corrupt data
    }

    /** An AC code with its magnitude from {@link JpegHuffman#fastAc}, consumed; 0 (nothing consumed) otherwise. */
    int fastAc(JpegHuffman t) {
        if (count < 32) {
            fill();
        }
        int e = t.fastAc[(int) (acc >>> (64 - JpegHuffman.LOOKUP_BITS))];
        if (e != 0) {
            int n = e & 0xFF;
            acc <<= n;
            count -= n;
        }
        return e;
    }

    /** Decodes and drops the AC coefficients of a block from zigzag position {@code k} (at most 63) on. */
    void skipAc(JpegHuffman t, int k) {
        while (k < 64) {
            int e = fastAc(t);
            if (e != 0) {
                k += (e >> 8) & 15;
                if (k > 63) {
                    throw ScaledJpegDecoder.UNSUPPORTED;   // a run past the last coefficient
                }
                k++;
                continue;
            }
            int rs = decode(t);
            int r = rs >> 4;
            int s = rs & 15;
            if (s == 0) {
                if (r != 15) {
                    return;           // end of block
                }
                k += 16;
                continue;
            }
            if (s > 10) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            k += r;
            if (k > 63) {
                throw ScaledJpegDecoder.UNSUPPORTED;
            }
            acc <<= s;              // decode left at least 16 bits buffered
            count -= s;
            k++;
        }
    }

    /** RECEIVE(s) then EXTEND (T.81 F.2.2.1), 1 <= s <= 11; at least 16 bits are buffered after a decode. */
    int receiveExtend(int s) {
        if (count < s) {
            fill();
        }
        int v = (int) (acc >>> (64 - s));
        acc <<= s;
        count -= s;
        return v < (1 << (s - 1)) ? v - (1 << s) + 1 : v;
    }

    /** Refuses data that ran past its segment (the decoded block used bits fed after a marker). */
    void checkNotPastEnd() {
        if (padBits > count) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
    }

    /** Expects RSTn ({@code n} = 0..7) next: at most the last byte's padding left, no extraneous bytes. */
    void restart(int n) {
        skipToMarker();
        if (pos + 1 >= end || (data[pos + 1] & 0xFF) != 0xD0 + n) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        pos += 2;
        acc = 0;
        count = 0;
        padBits = 0;
        atMarker = false;
    }

    /** After the last block: the scan must end at EOI (a missing EOI is a truncated file to ImageIO). */
    void finish() {
        skipToMarker();
        if (pos + 1 >= end || (data[pos + 1] & 0xFF) != 0xD9) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
    }

    /** Checks that only the padding of the last byte is left, then moves past fill bytes onto the marker. */
    private void skipToMarker() {
        checkNotPastEnd();
        int real = count - padBits;     // bits of real data read ahead but not used
        if (real >= 8) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
        if (!atMarker && pos < end && (data[pos] & 0xFF) != 0xFF) {
            throw ScaledJpegDecoder.UNSUPPORTED;   // extraneous data before the marker
        }
        while (pos + 1 < end && (data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) == 0xFF) {
            pos++;
        }
        if (pos >= end || (data[pos] & 0xFF) != 0xFF) {
            throw ScaledJpegDecoder.UNSUPPORTED;
        }
    }
}
