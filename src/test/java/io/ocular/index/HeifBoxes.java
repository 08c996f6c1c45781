package io.ocular.index;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Test-only editing of a HEIF file's boxes: adds an {@code irot} (rotation) property to the primary image,
 * which heif-enc 1.15 cannot write, so that the "applied by libheif, never twice" rule is tested on a real
 * rotated container. Handles the single-image files heif-enc writes (meta before mdat, iloc v0/v1).
 */
final class HeifBoxes {
    private HeifBoxes() {
    }

    /** The file with {@code irot} (angle = quarter turns anti-clockwise, 0..3) on its primary item. */
    static byte[] withIrot(byte[] file, int angle) {
        ByteBuffer b = ByteBuffer.wrap(file);
        int meta = find(b, 0, file.length, "meta");
        int metaEnd = meta + b.getInt(meta);
        int metaBody = meta + 12;
        int pitm = find(b, metaBody, metaEnd, "pitm");
        int primary = b.getShort(pitm + 12) & 0xffff;
        int iprp = find(b, metaBody, metaEnd, "iprp");
        int ipco = find(b, iprp + 8, iprp + b.getInt(iprp), "ipco");
        int ipma = find(b, iprp + 8, iprp + b.getInt(iprp), "ipma");
        int properties = 0;
        for (int p = ipco + 8; p < ipco + b.getInt(ipco); p += b.getInt(p)) {
            properties++;
        }
        int irotIndex = properties + 1;
        // ipma: version/flags, entry_count, entries {item_ID, count, associations}
        int version = b.get(ipma + 8) & 0xff;
        boolean wide = (b.get(ipma + 11) & 1) != 0;
        int entries = b.getInt(ipma + 12);
        int p = ipma + 16;
        int countAt = -1;
        int insertAssocAt = -1;
        for (int i = 0; i < entries; i++) {
            int id = version < 1 ? b.getShort(p) & 0xffff : b.getInt(p);
            p += version < 1 ? 2 : 4;
            int n = b.get(p) & 0xff;
            int after = p + 1 + n * (wide ? 2 : 1);
            if (id == primary) {
                countAt = p;
                insertAssocAt = after;
            }
            p = after;
        }
        if (countAt < 0) {
            throw new IllegalArgumentException("primary item has no property associations");
        }
        byte[] assoc = wide ? new byte[]{(byte) 0x80, (byte) irotIndex} : new byte[]{(byte) (0x80 | irotIndex)};
        byte[] irot = ByteBuffer.allocate(9).putInt(9).put("irot".getBytes(StandardCharsets.US_ASCII))
                .put((byte) (angle & 3)).array();
        int ipcoEnd = ipco + b.getInt(ipco);
        int added = irot.length + assoc.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // inserts happen at ipcoEnd (irot) and insertAssocAt (ipma comes after ipco)
        out.write(file, 0, ipcoEnd);
        out.write(irot, 0, irot.length);
        out.write(file, ipcoEnd, insertAssocAt - ipcoEnd);
        out.write(assoc, 0, assoc.length);
        out.write(file, insertAssocAt, file.length - insertAssocAt);
        ByteBuffer r = ByteBuffer.wrap(out.toByteArray());
        r.putInt(meta, r.getInt(meta) + added);
        r.putInt(iprp, r.getInt(iprp) + added);
        r.putInt(ipco, r.getInt(ipco) + irot.length);
        int ipmaNew = ipma + irot.length;
        r.putInt(ipmaNew, r.getInt(ipmaNew) + assoc.length);
        int countNew = countAt + irot.length;
        r.put(countNew, (byte) ((r.get(countNew) & 0xff) + 1));
        shiftIloc(r, find(r, metaBody, metaEnd + added, "iloc"), added, metaEnd);
        return r.array();
    }

    /** Adds {@code delta} to every file-relative extent offset that points past {@code after}. */
    private static void shiftIloc(ByteBuffer b, int iloc, int delta, int after) {
        int version = b.get(iloc + 8) & 0xff;
        int p = iloc + 12;
        int sizes = b.getShort(p) & 0xffff;
        int offsetSize = (sizes >> 12) & 0xf;
        int lengthSize = (sizes >> 8) & 0xf;
        int baseSize = (sizes >> 4) & 0xf;
        int indexSize = version >= 1 ? sizes & 0xf : 0;
        p += 2;
        int items = version < 2 ? b.getShort(p) & 0xffff : b.getInt(p);
        p += version < 2 ? 2 : 4;
        for (int i = 0; i < items; i++) {
            p += version < 2 ? 2 : 4;
            int method = 0;
            if (version >= 1) {
                method = b.getShort(p) & 0xf;
                p += 2;
            }
            p += 2; // data_reference_index
            int baseAt = p;
            long base = read(b, p, baseSize);
            p += baseSize;
            int extents = b.getShort(p) & 0xffff;
            p += 2;
            if (method == 0 && baseSize > 0 && base >= after) {
                write(b, baseAt, baseSize, base + delta);
            }
            for (int e = 0; e < extents; e++) {
                p += indexSize;
                long off = read(b, p, offsetSize);
                if (method == 0 && baseSize == 0 && off >= after) {
                    write(b, p, offsetSize, off + delta);
                }
                p += offsetSize + lengthSize;
            }
        }
    }

    private static long read(ByteBuffer b, int p, int size) {
        return size == 0 ? 0 : size == 4 ? b.getInt(p) & 0xffffffffL : b.getLong(p);
    }

    private static void write(ByteBuffer b, int p, int size, long v) {
        if (size == 4) {
            b.putInt(p, (int) v);
        } else if (size == 8) {
            b.putLong(p, v);
        }
    }

    private static int find(ByteBuffer b, int from, int to, String type) {
        for (int p = from; p + 8 <= to; p += b.getInt(p)) {
            if (new String(b.array(), p + 4, 4, StandardCharsets.US_ASCII).equals(type)) {
                return p;
            }
            if (b.getInt(p) < 8) {
                break;
            }
        }
        throw new IllegalArgumentException("no " + type + " box");
    }
}
