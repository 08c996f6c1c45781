package io.ocular.index;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the largest JPEG preview a camera embedded in a RAW file, and the RAW's own orientation and date.
 *
 * <p>TIFF-based RAWs (DNG, CR2, NEF, ARW, PEF, SRW, RW2, ORF, ...): every IFD of the chain, every SubIFD
 * (tag 330) and the EXIF IFD are walked; previews are JPEGInterchangeFormat/Length pairs (513/514), single-
 * strip JPEG-compressed images (compression 6 or 7 with one StripOffsets/StripByteCounts entry: CR2's IFD0,
 * DNG's preview SubIFDs) and Panasonic's JpgFromRaw (tag 46). RAF keeps its JPEG at an offset in the
 * header; CR3 (ISO-BMFF) has THMB and PRVW boxes and the full-size JPEG as the first track's sample, and
 * its EXIF in the CMT1 (IFD0) and CMT2 (EXIF IFD) boxes. Each candidate is checked to be a baseline or
 * progressive JPEG (so DNG's lossless-JPEG raw data is never mistaken for a preview) and the largest by
 * its SOF size wins.
 *
 * <p>Hand-written because no maintained Java library exposes this: metadata-extractor (already used for
 * EXIF) parses RAW IFDs but merges every IFD after IFD0 into one thumbnail directory (CR2's three chained
 * IFDs overwrite each other), gives no IFD offsets, and does not read CR3; TwelveMonkeys' TIFF reader
 * follows only the IFD chain (no SubIFDs), rejects ORF/RW2 magic and would decode rather than locate.
 * Reads only the few bytes it needs through positioned reads; every offset is bounds-checked against the
 * file, IFD walks are bounded (no loops, at most {@link #MAX_IFDS}).
 */
final class RawPreviews {
    static final int MAX_IFDS = 64;
    private static final int MAX_ENTRIES = 4096;
    private static final DateTimeFormatter EXIF_DATE = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    /** A JPEG stream inside the file. */
    record Preview(long offset, long length, int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /** What the RAW holds: its largest preview (null when it has none) and its EXIF facts. */
    record Found(Preview preview, PhotoExif exif) {
    }

    private final SeekableByteChannel ch;
    private final long size;
    private final List<Preview> candidates = new ArrayList<>();
    private int orientation = 1;
    private Instant takenAt;

    private RawPreviews(SeekableByteChannel ch) throws IOException {
        this.ch = ch;
        this.size = ch.size();
    }

    /** Looks into a RAW of the given container kind. */
    static Found find(SeekableByteChannel ch, ImageFormats.Kind kind) throws IOException {
        RawPreviews r = new RawPreviews(ch);
        switch (kind) {
            case CR3 -> r.cr3();
            case RAF -> r.raf();
            default -> r.tiff(0, true);
        }
        Preview best = null;
        for (Preview p : r.candidates) {
            if (best == null || p.pixels() > best.pixels()) {
                best = p;
            }
        }
        return new Found(best, new PhotoExif(r.orientation, r.takenAt));
    }

    // ---- TIFF ----------------------------------------------------------------------------------

    /** Walks the TIFF structure starting at {@code base} (offsets inside it are relative to base). */
    private void tiff(long base, boolean collectPreviews) throws IOException {
        ByteBuffer h = read(base, 8);
        ByteOrder order = h.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        h.order(order);
        Deque<Long> queue = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        queue.add(h.getInt(4) & 0xffffffffL);
        boolean first = true;
        while (!queue.isEmpty() && seen.size() < MAX_IFDS) {
            long ifd = queue.poll();
            if (ifd < 8 || base + ifd + 2 > size || !seen.add(ifd)) {
                continue;
            }
            Ifd d;
            try {
                d = readIfd(base, ifd, order);
            } catch (EOFException e) {
                continue; // an IFD pointing outside the file: skip it, keep what the others hold
            }
            if (first) {
                first = false;
                if (d.orientation >= 1 && d.orientation <= 8) {
                    orientation = d.orientation;
                }
                if (d.takenAt != null) {
                    takenAt = d.takenAt;
                }
            }
            if (takenAt == null && d.takenAt != null && d.exifDate) {
                takenAt = d.takenAt;
            }
            if (collectPreviews) {
                addCandidates(base, d);
            }
            queue.addAll(d.children);
            if (d.next != 0) {
                queue.add(d.next);
            }
        }
    }

    /** The facts of one IFD that matter here. */
    private static final class Ifd {
        long jpegOffset = -1;
        long jpegLength = -1;
        int compression;
        long[] stripOffsets = new long[0];
        long[] stripCounts = new long[0];
        long inlineJpegOffset = -1;
        long inlineJpegLength = -1;
        int orientation;
        Instant takenAt;
        boolean exifDate;
        final List<Long> children = new ArrayList<>();
        long next;
    }

    private Ifd readIfd(long base, long ifd, ByteOrder order) throws IOException {
        ByteBuffer cnt = read(base + ifd, 2).order(order);
        int n = cnt.getShort(0) & 0xffff;
        if (n == 0 || n > MAX_ENTRIES || base + ifd + 2 + n * 12L + 4 > size) {
            return new Ifd();
        }
        ByteBuffer e = read(base + ifd + 2, n * 12 + 4).order(order);
        Ifd d = new Ifd();
        for (int i = 0; i < n; i++) {
            int p = i * 12;
            int tag = e.getShort(p) & 0xffff;
            int type = e.getShort(p + 2) & 0xffff;
            long count = e.getInt(p + 4) & 0xffffffffL;
            long value = e.getInt(p + 8) & 0xffffffffL;
            switch (tag) {
                case 0x103 -> d.compression = (int) scalar(e, p, type);
                case 0x111 -> d.stripOffsets = values(base, e, p, type, count, order);
                case 0x117 -> d.stripCounts = values(base, e, p, type, count, order);
                case 0x112 -> d.orientation = (int) scalar(e, p, type);
                case 0x201 -> d.jpegOffset = value;
                case 0x202 -> d.jpegLength = value;
                case 0x2e -> { // Panasonic RW2 JpgFromRaw: the JPEG is the tag's own (undefined-type) value
                    d.inlineJpegOffset = value;
                    d.inlineJpegLength = count;
                }
                case 0x14a -> {
                    for (long off : values(base, e, p, type, count, order)) {
                        d.children.add(off);
                    }
                }
                case 0x8769 -> d.children.add(value); // EXIF IFD: date taken
                case 0x9003 -> {
                    d.takenAt = date(base, value, count);
                    d.exifDate = true;
                }
                default -> {
                    // not needed
                }
            }
        }
        d.next = e.getInt(n * 12) & 0xffffffffL;
        return d;
    }

    private void addCandidates(long base, Ifd d) throws IOException {
        if (d.jpegOffset > 0 && d.jpegLength > 0) {
            candidate(base + d.jpegOffset, d.jpegLength);
        }
        if (d.inlineJpegOffset > 0 && d.inlineJpegLength > 0) {
            candidate(base + d.inlineJpegOffset, d.inlineJpegLength);
        }
        if ((d.compression == 6 || d.compression == 7) && d.stripOffsets.length == 1 && d.stripCounts.length == 1) {
            candidate(base + d.stripOffsets[0], d.stripCounts[0]);
        }
    }

    /** SHORT or LONG value stored in the entry itself. */
    private static long scalar(ByteBuffer e, int p, int type) {
        return type == 3 ? e.getShort(p + 8) & 0xffff : e.getInt(p + 8) & 0xffffffffL;
    }

    /** SHORT/LONG/IFD arrays, inline when they fit in four bytes. */
    private long[] values(long base, ByteBuffer e, int p, int type, long count, ByteOrder order) throws IOException {
        int width = type == 3 ? 2 : (type == 4 || type == 13) ? 4 : 0;
        if (width == 0 || count == 0 || count > 1024) {
            return new long[0];
        }
        long bytes = count * width;
        ByteBuffer src;
        int at;
        if (bytes <= 4) {
            src = e;
            at = p + 8;
        } else {
            long off = base + (e.getInt(p + 8) & 0xffffffffL);
            if (off + bytes > size) {
                return new long[0];
            }
            src = read(off, (int) bytes).order(order);
            at = 0;
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = width == 2 ? src.getShort(at + i * 2) & 0xffff : src.getInt(at + i * 4) & 0xffffffffL;
        }
        return out;
    }

    private Instant date(long base, long offset, long count) throws IOException {
        if (count < 19 || count > 64 || base + offset + 19 > size) {
            return null;
        }
        ByteBuffer b = read(base + offset, 19);
        String s = new String(b.array(), 0, 19, StandardCharsets.US_ASCII);
        try {
            // EXIF dates carry no zone; wall time is read as UTC, as for JPEG
            return LocalDateTime.parse(s, EXIF_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- RAF -----------------------------------------------------------------------------------

    /** Fujifilm: the big-endian JPEG offset and length sit at bytes 84 and 88 of the header. */
    private void raf() throws IOException {
        ByteBuffer h = read(84, 8).order(ByteOrder.BIG_ENDIAN);
        long off = h.getInt(0) & 0xffffffffL;
        long len = h.getInt(4) & 0xffffffffL;
        int before = candidates.size();
        candidate(off, len);
        if (candidates.size() > before) {
            // the preview is a JPEG with its own EXIF (APP1 "Exif\0\0" then TIFF): the RAF's orientation and date
            long tiff = exifTiffInJpeg(off, len);
            if (tiff > 0) {
                tiff(tiff, false);
            }
        }
    }

    /** File offset of the TIFF header inside a JPEG's EXIF APP1 segment, or -1. */
    private long exifTiffInJpeg(long off, long len) throws IOException {
        long p = off + 2;
        for (int i = 0; i < 16 && p + 10 < off + len; i++) {
            ByteBuffer m = read(p, 10);
            if ((m.get(0) & 0xff) != 0xff) {
                return -1;
            }
            int marker = m.get(1) & 0xff;
            int segLen = m.getShort(2) & 0xffff;
            if (marker == 0xe1 && m.get(4) == 'E' && m.get(5) == 'x' && m.get(6) == 'i' && m.get(7) == 'f') {
                return p + 10;
            }
            if (marker == 0xda) {
                return -1;
            }
            p += 2 + segLen;
        }
        return -1;
    }

    // ---- CR3 -----------------------------------------------------------------------------------

    private static final String CANON_UUID = "85c0b687820f11e08111f4ce462b6a48";
    private static final String PREVIEW_UUID = "eaf42b5e1c984b88b9fbb7dc406e4d16";

    private void cr3() throws IOException {
        boolean firstTrak = true;
        for (Box top : boxes(0, size)) {
            if (top.type.equals("moov")) {
                for (Box b : boxes(top.body, top.end)) {
                    if (b.type.equals("uuid") && uuid(b).equals(CANON_UUID)) {
                        for (Box c : boxes(b.body + 16, b.end)) {
                            switch (c.type) {
                                case "CMT1" -> tiff(c.body, false);
                                case "CMT2" -> exifIfdTiff(c.body);
                                case "THMB" -> embedded(c);
                                default -> {
                                    // CNCV, CCTP, CTBO, CMT3 (maker notes), CMT4 (GPS)
                                }
                            }
                        }
                    } else if (b.type.equals("trak") && firstTrak) {
                        firstTrak = false;
                        firstTrackSample(b);
                    }
                }
            } else if (top.type.equals("uuid") && uuid(top).equals(PREVIEW_UUID)) {
                for (Box c : boxes(top.body + 16 + 8, top.end)) {
                    if (c.type.equals("PRVW")) {
                        embedded(c);
                    }
                }
            }
        }
    }

    /** CMT2 is a TIFF structure whose first IFD is the EXIF IFD: DateTimeOriginal lives there. */
    private void exifIfdTiff(long base) throws IOException {
        int keep = orientation;
        Instant before = takenAt;
        takenAt = null;
        tiff(base, false);
        orientation = keep; // CMT2 has no orientation; never let it reset CMT1's
        if (takenAt == null) {
            takenAt = before;
        }
    }

    /** THMB/PRVW: a small header, then the JPEG up to the end of the box. */
    private void embedded(Box c) throws IOException {
        int scan = (int) Math.min(64, c.end - c.body);
        ByteBuffer b = read(c.body, scan);
        for (int i = 0; i + 2 < scan; i++) {
            if ((b.get(i) & 0xff) == 0xff && (b.get(i + 1) & 0xff) == 0xd8 && (b.get(i + 2) & 0xff) == 0xff) {
                candidate(c.body + i, c.end - c.body - i);
                return;
            }
        }
    }

    /** trak/mdia/minf/stbl: the first sample of the first track is the full-size JPEG. */
    private void firstTrackSample(Box trak) throws IOException {
        Box stbl = path(trak, "mdia", "minf", "stbl");
        if (stbl == null) {
            return;
        }
        long sampleSize = -1;
        long chunkOffset = -1;
        for (Box b : boxes(stbl.body, stbl.end)) {
            if (b.type.equals("stsz") && b.end - b.body >= 12) {
                ByteBuffer s = read(b.body, (int) Math.min(16, b.end - b.body)).order(ByteOrder.BIG_ENDIAN);
                long fixed = s.getInt(4) & 0xffffffffL;
                sampleSize = fixed != 0 || s.limit() < 16 ? fixed : s.getInt(12) & 0xffffffffL;
            } else if (b.type.equals("co64") && b.end - b.body >= 16) {
                chunkOffset = read(b.body + 8, 8).order(ByteOrder.BIG_ENDIAN).getLong(0);
            } else if (b.type.equals("stco") && b.end - b.body >= 12) {
                chunkOffset = read(b.body + 8, 4).order(ByteOrder.BIG_ENDIAN).getInt(0) & 0xffffffffL;
            }
        }
        if (sampleSize > 0 && chunkOffset > 0) {
            candidate(chunkOffset, sampleSize);
        }
    }

    private record Box(String type, long body, long end) {
    }

    private Box path(Box from, String... types) throws IOException {
        Box cur = from;
        for (String t : types) {
            Box next = null;
            for (Box b : boxes(cur.body, cur.end)) {
                if (b.type.equals(t)) {
                    next = b;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            cur = next;
        }
        return cur;
    }

    /** The boxes laid end to end in {@code [from, to)}; stops at the first malformed one. */
    private List<Box> boxes(long from, long to) throws IOException {
        List<Box> out = new ArrayList<>();
        long p = from;
        while (p + 8 <= to && out.size() < 256) {
            ByteBuffer h = read(p, 8).order(ByteOrder.BIG_ENDIAN);
            long len = h.getInt(0) & 0xffffffffL;
            String type = new String(h.array(), 4, 4, StandardCharsets.ISO_8859_1);
            long body = p + 8;
            if (len == 1) {
                if (p + 16 > to) {
                    break;
                }
                len = read(p + 8, 8).order(ByteOrder.BIG_ENDIAN).getLong(0);
                body = p + 16;
            } else if (len == 0) {
                len = to - p;
            }
            if (len < body - p || p + len > to) {
                break;
            }
            out.add(new Box(type, body, p + len));
            p += len;
        }
        return out;
    }

    private String uuid(Box b) throws IOException {
        if (b.end - b.body < 16) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (byte x : read(b.body, 16).array()) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }

    // ---- common --------------------------------------------------------------------------------

    /** Adds the stream at {@code [off, off+len)} when it is a baseline/progressive JPEG with a size. */
    private void candidate(long off, long len) throws IOException {
        try {
            probeJpeg(off, len);
        } catch (EOFException e) {
            // a preview cut off by the end of the file: not a candidate
        }
    }

    private void probeJpeg(long off, long len) throws IOException {
        if (off <= 0 || len < 4 || off >= size) {
            return;
        }
        long end = Math.min(size, off + len);
        ByteBuffer soi = read(off, 2);
        if ((soi.get(0) & 0xff) != 0xff || (soi.get(1) & 0xff) != 0xd8) {
            return;
        }
        long p = off + 2;
        for (int i = 0; i < 64 && p + 4 <= end; i++) {
            ByteBuffer m = read(p, 4).order(ByteOrder.BIG_ENDIAN);
            if ((m.get(0) & 0xff) != 0xff) {
                return;
            }
            int marker = m.get(1) & 0xff;
            if (marker == 0xff) {
                p++; // fill byte
                continue;
            }
            int segLen = m.getShort(2) & 0xffff;
            if (marker == 0xc0 || marker == 0xc1 || marker == 0xc2) {
                if (p + 9 > end) {
                    return;
                }
                ByteBuffer sof = read(p + 5, 4).order(ByteOrder.BIG_ENDIAN);
                int h = sof.getShort(0) & 0xffff;
                int w = sof.getShort(2) & 0xffff;
                if (w > 0 && h > 0) {
                    candidates.add(new Preview(off, end - off, w, h));
                }
                return;
            }
            if ((marker >= 0xc3 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
                    || marker == 0xda || segLen < 2) {
                return; // lossless/hierarchical/arithmetic JPEG (raw sensor data), or no frame header
            }
            p += 2 + segLen;
        }
    }

    private ByteBuffer read(long position, int n) throws IOException {
        if (position < 0 || position + n > size) {
            throw new EOFException("outside the file");
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        ch.position(position);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("file ends early");
            }
        }
        b.flip();
        return b;
    }
}
