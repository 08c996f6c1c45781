package io.ocular.index;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds minimal but structurally real RAW files in memory: TIFF-based (DNG, NEF/CR2-like, ORF/RW2 magic),
 * Fujifilm RAF and Canon CR3 (ISO-BMFF), carrying real JPEG previews. The layouts follow the public format
 * descriptions (TIFF 6.0 + DNG 1.6 for SubIFDs and preview IFDs; CR2 with its strip-based IFD0 JPEG and
 * chained IFDs; NEF's preview SubIFD with JPEGInterchangeFormat; RAF's header offsets; CR3's THMB box in
 * Canon's moov uuid, PRVW in the preview uuid and the full JPEG as the first track's sample).
 */
public final class RawFixtures {
    private RawFixtures() {
    }

    // ---- TIFF ----------------------------------------------------------------------------------

    /** One IFD being built; values are resolved at layout time so IFDs can point at each other. */
    public static final class Ifd {
        private record Entry(int tag, int type, long count, LongSupplier value, long[] array) {
        }

        private final List<Entry> entries = new ArrayList<>();
        public Ifd next;
        long offset = -1;

        public Ifd shortValue(int tag, int v) {
            entries.add(new Entry(tag, 3, 1, () -> v, null));
            return this;
        }

        public Ifd longValue(int tag, long v) {
            entries.add(new Entry(tag, 4, 1, () -> v, null));
            return this;
        }

        /** A LONG whose value is another IFD's offset (EXIF IFD pointer). */
        public Ifd pointer(int tag, Ifd target) {
            entries.add(new Entry(tag, 4, 1, () -> target.offset, null));
            return this;
        }

        /** A blob's offset (StripOffsets, JPEGInterchangeFormat). */
        public Ifd blobOffset(int tag, Blob blob) {
            entries.add(new Entry(tag, 4, 1, () -> blob.offset, null));
            return this;
        }

        public Ifd blobLength(int tag, Blob blob) {
            entries.add(new Entry(tag, 4, 1, () -> blob.data.length, null));
            return this;
        }

        /** An ASCII or UNDEFINED value stored out of line in a blob (dates; RW2's JpgFromRaw). */
        public Ifd blobValue(int tag, int type, Blob blob) {
            entries.add(new Entry(tag, type, blob.data.length, () -> blob.offset, null));
            return this;
        }

        /** SubIFDs (330): several IFD offsets, out of line. */
        public Ifd subIfds(Ifd... subs) {
            long[] placeholder = new long[subs.length];
            entries.add(new Entry(330, 4, subs.length, null, placeholder));
            this.subs = subs;
            return this;
        }

        private Ifd[] subs = new Ifd[0];

        int size() {
            return 2 + entries.size() * 12 + 4 + subs.length * 4;
        }
    }

    public static final class Blob {
        final byte[] data;
        long offset;

        public Blob(byte[] data) {
            this.data = data;
        }

        public static Blob ascii(String s) {
            return new Blob((s + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }

    /**
     * Lays out {@code header magic | blobs | IFDs}, IFD0 first.
     *
     * @param magic the two bytes after the byte order (42 for TIFF/DNG/NEF/CR2; 0x4F52 "RO" for ORF, 0x55 for RW2)
     */
    public static byte[] tiff(ByteOrder order, int magic, List<Blob> blobs, List<Ifd> ifds) {
        long p = 8;
        for (Blob b : blobs) {
            b.offset = p;
            p += b.data.length + (b.data.length & 1);
        }
        for (Ifd d : ifds) {
            d.offset = p;
            p += d.size();
        }
        ByteBuffer out = ByteBuffer.allocate((int) p).order(order);
        out.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        out.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        out.putShort((short) magic).putInt((int) ifds.get(0).offset);
        for (Blob b : blobs) {
            out.position((int) b.offset);
            out.put(b.data);
        }
        for (Ifd d : ifds) {
            out.position((int) d.offset);
            out.putShort((short) d.entries.size());
            long arrays = d.offset + 2 + d.entries.size() * 12L + 4;
            for (Ifd.Entry e : d.entries) {
                out.putShort((short) e.tag()).putShort((short) e.type()).putInt((int) e.count());
                if (e.array() != null) {
                    if (d.subs.length == 1) {
                        out.putInt((int) d.subs[0].offset);
                    } else {
                        out.putInt((int) arrays);
                    }
                } else if (e.type() == 3) {
                    out.putShort((short) e.value().getAsLong()).putShort((short) 0);
                } else {
                    out.putInt((int) e.value().getAsLong());
                }
            }
            out.putInt(d.next == null ? 0 : (int) d.next.offset);
            if (d.subs.length > 1) {
                for (Ifd s : d.subs) {
                    out.putInt((int) s.offset);
                }
            }
        }
        return out.array();
    }

    /** A DNG: IFD0 (orientation, EXIF date), a lossless raw SubIFD and a preview SubIFD holding {@code preview}. */
    public static byte[] dng(byte[] preview, int orientation, String date) {
        Blob raw = new Blob(losslessJpegStandIn(6000, 4000));
        Blob prv = new Blob(preview);
        Blob d = Blob.ascii(date);
        Ifd exif = new Ifd().blobValue(0x9003, 2, d);
        Ifd rawIfd = new Ifd().longValue(254, 0).shortValue(259, 7).blobOffset(273, raw).blobLength(279, raw);
        Ifd previewIfd = new Ifd().longValue(254, 1).shortValue(259, 7).blobOffset(273, prv).blobLength(279, prv);
        Ifd ifd0 = new Ifd().longValue(254, 1).shortValue(259, 1).shortValue(0x112, orientation)
                .subIfds(rawIfd, previewIfd).pointer(0x8769, exif).longValue(0xC612, 0x01040000);
        return tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(raw, prv, d), List.of(ifd0, rawIfd, previewIfd, exif));
    }

    /**
     * Writes one crafted DNG per JPEG of a folder (for {@code ocular bench index} on RAW previews):
     * {@code java -cp target/classes:target/test-classes io.ocular.index.RawFixtures SRC_DIR OUT_DIR}.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path out = java.nio.file.Files.createDirectories(java.nio.file.Path.of(args[1]));
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(args[0]))) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".jpg")) {
                    java.nio.file.Files.write(out.resolve(name.substring(0, name.length() - 4) + ".dng"),
                            dng(java.nio.file.Files.readAllBytes(f), 1, "2020:01:01 12:00:00"));
                }
            }
        }
    }

    /** A stand-in for lossless-JPEG raw sensor data (SOF3): never a preview. */
    public static byte[] losslessJpegStandIn(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) 0xFF).put((byte) 0xD8);
        b.put((byte) 0xFF).put((byte) 0xC3).putShort((short) 11).put((byte) 16).putShort((short) h).putShort((short) w)
                .put((byte) 1).put((byte) 1).put((byte) 0x11).put((byte) 0);
        b.put((byte) 0xFF).put((byte) 0xD9);
        return b.array();
    }

    // ---- RAF -----------------------------------------------------------------------------------

    public static byte[] raf(byte[] jpeg) {
        int offset = 160;
        ByteBuffer b = ByteBuffer.allocate(offset + jpeg.length).order(ByteOrder.BIG_ENDIAN);
        b.put("FUJIFILMCCD-RAW 0201FF393101".getBytes(StandardCharsets.US_ASCII));
        b.position(84);
        b.putInt(offset).putInt(jpeg.length);
        b.position(offset);
        b.put(jpeg);
        return b.array();
    }

    // ---- CR3 -----------------------------------------------------------------------------------

    public static byte[] box(String type, byte[]... children) {
        int len = 8;
        for (byte[] c : children) {
            len += c.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(len).put(type.getBytes(StandardCharsets.ISO_8859_1));
        for (byte[] c : children) {
            b.put(c);
        }
        return b.array();
    }

    public static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    public static byte[] bytes(int n) {
        return new byte[n];
    }

    /**
     * A CR3: ftyp crx, moov {uuid Canon {CMT1 (IFD0: orientation), CMT2 (EXIF IFD: date), THMB}, trak
     * {mdia/minf/stbl {stsz, co64}}}, uuid preview {PRVW}, mdat {full JPEG}.
     */
    public static byte[] cr3(byte[] thumb, byte[] prvw, byte[] full, int orientation, String date) {
        Ifd ifd0 = new Ifd().shortValue(0x112, orientation);
        byte[] cmt1 = tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(), List.of(ifd0));
        Blob d = Blob.ascii(date);
        Ifd exif = new Ifd().blobValue(0x9003, 2, d);
        byte[] cmt2 = tiff(ByteOrder.LITTLE_ENDIAN, 42, List.of(d), List.of(exif));
        byte[] thmbHeader = ByteBuffer.allocate(16).putInt(0).putShort((short) 160).putShort((short) 120)
                .putInt(thumb.length).putInt(0).array();
        byte[] canon = box("uuid", hex("85c0b687820f11e08111f4ce462b6a48"), box("CNCV", bytes(8)),
                box("CMT1", cmt1), box("CMT2", cmt2), box("THMB", thmbHeader, thumb));
        byte[] prvwHeader = ByteBuffer.allocate(16).putInt(0).putShort((short) 1).putShort((short) 1620)
                .putShort((short) 1080).putShort((short) 1).putInt(prvw.length).array();
        byte[] preview = box("uuid", hex("eaf42b5e1c984b88b9fbb7dc406e4d16"), bytes(8), box("PRVW", prvwHeader, prvw));
        byte[] ftyp = box("ftyp", "crx ".getBytes(StandardCharsets.ISO_8859_1), bytes(4),
                "crx isom".getBytes(StandardCharsets.ISO_8859_1));
        // trak with a placeholder chunk offset, fixed once the mdat position is known
        byte[] stsz = box("stsz", bytes(4), ByteBuffer.allocate(8).putInt(0).putInt(1).array(),
                ByteBuffer.allocate(4).putInt(full.length).array());
        byte[] co64Body = ByteBuffer.allocate(16).putInt(0).putInt(1).putLong(0).array();
        byte[] trakWith0 = box("trak", box("mdia", box("minf", box("stbl", stsz, box("co64", co64Body)))));
        byte[] moov = box("moov", box("mvhd", bytes(100)), canon, trakWith0);
        long mdatData = ftyp.length + moov.length + preview.length + 8;
        co64Body = ByteBuffer.allocate(16).putInt(0).putInt(1).putLong(mdatData).array();
        byte[] trak = box("trak", box("mdia", box("minf", box("stbl", stsz, box("co64", co64Body)))));
        moov = box("moov", box("mvhd", bytes(100)), canon, trak);
        byte[] mdat = box("mdat", full);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ftyp);
        out.writeBytes(moov);
        out.writeBytes(preview);
        out.writeBytes(mdat);
        return out.toByteArray();
    }
}
