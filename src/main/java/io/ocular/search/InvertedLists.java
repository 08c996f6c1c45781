package io.ocular.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The codes of a {@link PqIndex}: one dense list of ids and codes per coarse cell (a single list without
 * IVF). Removal moves the list's last entry into the hole, so lists stay dense and a scan is one pass over a
 * byte array. Not thread-safe: {@link PqIndex} guards it with its lock.
 *
 * <p>There is no id → place table: a photo costs its 64-byte code and its 8-byte id and nothing else (issue 13's
 * budget; the open-addressing table this class kept until 2026-11-30 added 5.3–10.7 B, 8.4 B at 1M photos,
 * docs/decisions/0315). Finding a stored id is a scan instead: first of the list its vector codes to (the caller's
 * hint: about n/nlist ids, microseconds), then of every list (n ids, about a millisecond at 1M). Codes of photos
 * known to be new are appended without looking ({@link #append}: a build, a load, the reconciling merge, the live
 * index's new photos), and many removals are one pass ({@link #removeAll}).
 */
final class InvertedLists {
    private final int m;
    private final CodeList[] lists;
    private int size;

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
        return size;
    }

    /** The stored ids, list by list. */
    long[] ids() {
        long[] out = new long[size];
        int n = 0;
        for (CodeList cl : lists) {
            System.arraycopy(cl.ids, 0, out, n, cl.size);
            n += cl.size;
        }
        return out;
    }

    /** Where {@code id} sits, {@code list << 32 | position}, or -1: list {@code hint} first (-1: none), then all. */
    private long find(long id, int hint) {
        if (hint >= 0 && hint < lists.length) {
            int p = lists[hint].indexOf(id);
            if (p >= 0) {
                return ((long) hint << 32) | p;
            }
        }
        for (int l = 0; l < lists.length; l++) {
            if (l != hint) {
                int p = lists[l].indexOf(id);
                if (p >= 0) {
                    return ((long) l << 32) | p;
                }
            }
        }
        return -1;
    }

    /** Whether {@code id} is stored (a scan of every list). */
    boolean contains(long id) {
        return find(id, -1) >= 0;
    }

    /** Codes in the given lists. */
    long total(int[] probe) {
        long total = 0;
        for (int l : probe) {
            total += lists[l].size;
        }
        return total;
    }

    /** Stores {@code id}'s code in list {@code list}, replacing any code it had (looked for in that list first). */
    void put(long id, int list, byte[] code, int off) {
        remove(id, list);
        append(id, list, code, off);
    }

    /** Stores the code of an id these lists do not hold (the caller knows it: no lookup). */
    void append(long id, int list, byte[] code, int off) {
        lists[list].append(id, code, off);
        size++;
    }

    boolean remove(long id) {
        return remove(id, -1);
    }

    /** Removes {@code id}'s code, looking in list {@code hint} first (-1: no hint); false if it had none. */
    boolean remove(long id, int hint) {
        long at = find(id, hint);
        if (at < 0) {
            return false;
        }
        lists[(int) (at >>> 32)].removeAt((int) at);
        size--;
        return true;
    }

    /** Removes the codes of the ids in {@code sorted} (ascending) in one pass; returns how many there were. */
    int removeAll(long[] sorted) {
        if (sorted.length == 0) {
            return 0;
        }
        int removed = 0;
        for (CodeList cl : lists) {
            for (int i = cl.size - 1; i >= 0; i--) { // downwards: the entry moved into a hole is already checked
                if (Arrays.binarySearch(sorted, cl.ids[i]) >= 0) {
                    cl.removeAt(i);
                    removed++;
                }
            }
        }
        size -= removed;
        return removed;
    }

    /** Gives back the room lists grew into (after a build: appended lists hold up to half again their size). */
    void trim() {
        for (CodeList cl : lists) {
            cl.trim();
        }
    }

    /** Bytes of RAM held per stored code: the code and its id (with any room the lists grew into). */
    double bytesPerCode() {
        long held = 0;
        for (CodeList cl : lists) {
            held += (long) cl.ids.length * 8 + cl.codes.length;
        }
        return size == 0 ? 0 : (double) held / size;
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
            if (size < 0 || (long) size * (8 + m) > maxBytes || this.size + (long) size > Integer.MAX_VALUE - 8) {
                throw new ChecksummedFile.CorruptIndexException("implausible list size " + size);
            }
            CodeList cl = lists[l];
            cl.ensure(size);
            for (int i = 0; i < size; i++) {
                cl.ids[i] = in.readLong();
            }
            in.readFully(cl.codes, 0, size * m);
            cl.size = size;
            this.size += size;
        }
        long[] all = ids();
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                throw new ChecksummedFile.CorruptIndexException("image " + all[i] + " appears twice");
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

        /** The position of {@code id}, or -1. */
        int indexOf(long id) {
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    return i;
                }
            }
            return -1;
        }

        void trim() {
            if (ids.length > size) {
                ids = Arrays.copyOf(ids, size);
                codes = Arrays.copyOf(codes, size * m);
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
