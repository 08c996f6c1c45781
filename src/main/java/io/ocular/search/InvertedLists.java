package io.ocular.search;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The codes of a {@link PqIndex}: one dense list of ids and codes per coarse cell (a single list without
 * IVF), and where each id sits. Removal moves the list's last entry into the hole, so lists stay dense and a
 * scan is one pass over a byte array. Not thread-safe: {@link PqIndex} guards it with its lock.
 *
 * <p>Where each id sits is an open-addressing table of 4-byte slots, each holding a packed (list, position)
 * whose key is implicit: the id stored at that place of that list (hand-written because no collection library
 * keys a table by data held elsewhere). 5.3–10.7 B a photo at load 3/8–3/4, where a map from id to place
 * held 21–43 B (decision 0050): the code tier is 64 B code + 8 B id + that.
 */
final class InvertedLists {
    private static final int EMPTY = -1;

    private final int m;
    private final CodeList[] lists;
    /** Bits of a slot for the position in its list (the rest name the list). */
    private final int posBits;
    private int[] slots = emptySlots(16);
    private int size;

    InvertedLists(int listCount, int codeBytes) {
        this.m = codeBytes;
        this.lists = new CodeList[listCount];
        for (int i = 0; i < listCount; i++) {
            lists[i] = new CodeList(codeBytes);
        }
        int listBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, listCount - 1));
        this.posBits = 31 - listBits;
    }

    private static int[] emptySlots(int n) {
        int[] a = new int[n];
        Arrays.fill(a, EMPTY);
        return a;
    }

    private int pack(int list, int pos) {
        if (pos >= 1 << posBits) {
            throw new IllegalStateException("an inverted list holds more than " + (1 << posBits) + " codes");
        }
        return (list << posBits) | pos;
    }

    private long idAt(int slot) {
        return lists[slot >>> posBits].ids[slot & ((1 << posBits) - 1)];
    }

    private static int hash(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29) ^ (h >>> 47));
    }

    /** The table index holding {@code id}, or -1. */
    private int slotOf(long id) {
        int mask = slots.length - 1;
        for (int i = hash(id) & mask; ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == EMPTY) {
                return -1;
            }
            if (idAt(s) == id) {
                return i;
            }
        }
    }

    private void insert(long id, int packed) {
        if ((size + 1) * 4L > slots.length * 3L) {
            int[] old = slots;
            slots = emptySlots(old.length * 2);
            for (int s : old) {
                if (s != EMPTY) {
                    place(idAt(s), s);
                }
            }
        }
        place(id, packed);
        size++;
    }

    private void place(long id, int packed) {
        int mask = slots.length - 1;
        int i = hash(id) & mask;
        while (slots[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        slots[i] = packed;
    }

    /** Empties table index {@code i}, shifting back the entries after it that probed past it (linear probing). */
    private void deleteSlot(int i) {
        int mask = slots.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int s = slots[j];
            if (s == EMPTY) {
                break;
            }
            int home = hash(idAt(s)) & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays) {
                slots[i] = s;
                i = j;
            }
        }
        slots[i] = EMPTY;
        size--;
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

    /** Whether {@code id} is stored (tests). */
    boolean contains(long id) {
        return slotOf(id) >= 0;
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
        int packed = pack(list, lists[list].size);
        lists[list].append(id, code, off);
        insert(id, packed);
    }

    boolean remove(long id) {
        int at = slotOf(id);
        if (at < 0) {
            return false;
        }
        int packed = slots[at];
        int list = packed >>> posBits;
        int pos = packed & ((1 << posBits) - 1);
        CodeList cl = lists[list];
        int last = cl.size - 1;
        deleteSlot(at); // while the lists are unchanged: other slots' ids are read from them
        if (pos != last) {
            int movedAt = slotOf(cl.ids[last]);
            cl.removeAt(pos);
            slots[movedAt] = pack(list, pos);
        } else {
            cl.removeAt(pos);
        }
        return true;
    }

    /** Bytes of RAM held per stored code: the code, its id and its slot in the id → place table. */
    double bytesPerCode() {
        long held = (long) slots.length * Integer.BYTES;
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
            if (size > 0 && size - 1 >= 1 << posBits) {
                throw new ChecksummedFile.CorruptIndexException("implausible list size " + size);
            }
            for (int i = 0; i < size; i++) {
                if (slotOf(cl.ids[i]) >= 0) {
                    throw new ChecksummedFile.CorruptIndexException("image " + cl.ids[i] + " appears twice");
                }
                insert(cl.ids[i], pack(l, i));
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
