package io.ocular.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The codes of a {@link PqIndex}: one dense list of ids and codes per coarse cell (a single list without
 * IVF), and where each id sits. Removal moves the list's last entry into the hole, so lists stay dense and a
 * scan is one pass over a byte array. Not thread-safe: {@link PqIndex} guards it with its lock.
 */
final class InvertedLists {
    private final int m;
    private final CodeList[] lists;
    private final LongLongMap where = new LongLongMap(); // id -> (list << 32) | position

    InvertedLists(int listCount, int codeBytes) {
        this.m = codeBytes;
        this.lists = new CodeList[listCount];
        for (int i = 0; i < listCount; i++) {
            lists[i] = new CodeList(codeBytes);
        }
    }

    int codeBytes() {
        return m;
    }

    int listCount() {
        return lists.length;
    }

    CodeList list(int l) {
        return lists[l];
    }

    /** Codes stored, all lists together. */
    int size() {
        return where.size();
    }

    /** The stored ids, in no particular order. */
    long[] ids() {
        return where.keys();
    }

    /** Codes in the given lists. */
    long total(int[] probe) {
        long total = 0;
        for (int l : probe) {
            total += lists[l].size;
        }
        return total;
    }

    /** Stores {@code id}'s code in list {@code list}, replacing any code it had. */
    void put(long id, int list, byte[] code, int off) {
        remove(id);
        int pos = lists[list].append(id, code, off);
        where.put(id, ((long) list << 32) | pos);
    }

    boolean remove(long id) {
        long loc = where.get(id, -1);
        if (loc < 0) {
            return false;
        }
        where.remove(id);
        int list = (int) (loc >>> 32);
        int pos = (int) loc;
        long moved = lists[list].removeAt(pos);
        if (moved != id) {
            where.put(moved, ((long) list << 32) | pos);
        }
        return true;
    }

    /** Bytes of RAM held per stored code: the code, its id and its place in the id → position table. */
    double bytesPerCode() {
        long held = where.bytes();
        for (CodeList cl : lists) {
            held += (long) cl.ids.length * 8 + cl.codes.length;
        }
        return where.size() == 0 ? 0 : (double) held / where.size();
    }

    /** Writes every list: its size, its ids, its codes. */
    void write(DataOutputStream out) throws IOException {
        for (CodeList cl : lists) {
            out.writeInt(cl.size);
            for (int i = 0; i < cl.size; i++) {
                out.writeLong(cl.ids[i]);
            }
            out.write(cl.codes, 0, cl.size * m);
        }
    }

    /** Reads what {@link #write} wrote into these (empty) lists; {@code maxBytes} bounds implausible sizes. */
    void read(DataInputStream in, long maxBytes) throws IOException {
        for (int l = 0; l < lists.length; l++) {
            int size = in.readInt();
            if (size < 0 || (long) size * (8 + m) > maxBytes) {
                throw new ChecksummedFile.CorruptIndexException("implausible list size " + size);
            }
            CodeList cl = lists[l];
            cl.ensure(size);
            for (int i = 0; i < size; i++) {
                cl.ids[i] = in.readLong();
            }
            in.readFully(cl.codes, 0, size * m);
            cl.size = size;
            for (int i = 0; i < size; i++) {
                if (!where.put(cl.ids[i], ((long) l << 32) | i)) {
                    throw new ChecksummedFile.CorruptIndexException("image " + cl.ids[i] + " appears twice");
                }
            }
        }
    }

    /** One inverted list: ids and their codes, dense. */
    static final class CodeList {
        private final int m;
        long[] ids = new long[0];
        byte[] codes = new byte[0];
        int size;

        CodeList(int m) {
            this.m = m;
        }

        void ensure(int capacity) {
            if (capacity > ids.length) {
                int c = Math.max(capacity, Math.max(16, ids.length + (ids.length >> 1)));
                ids = Arrays.copyOf(ids, c);
                codes = Arrays.copyOf(codes, c * m);
            }
        }

        int append(long id, byte[] code, int off) {
            ensure(size + 1);
            ids[size] = id;
            System.arraycopy(code, off, codes, size * m, m);
            return size++;
        }

        /** Removes entry {@code pos}; returns the id that now sits at {@code pos} (or the removed id if it was last). */
        long removeAt(int pos) {
            int last = size - 1;
            long removed = ids[pos];
            if (pos != last) {
                ids[pos] = ids[last];
                System.arraycopy(codes, last * m, codes, pos * m, m);
            }
            size = last;
            return pos != last ? ids[pos] : removed;
        }
    }
}
