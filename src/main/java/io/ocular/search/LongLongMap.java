package io.ocular.search;

import java.util.Arrays;

/**
 * A map from long keys to long values in two flat arrays (open addressing, linear probing, backward-shift
 * deletion): 16 bytes a slot, 21–43 bytes an entry at its load of 3/8 to 3/4 — where a
 * {@code HashMap<Long, Long>} costs about 80 (two boxed longs and a node). The code tier of a million photos
 * keeps one entry per photo (id → list and position), so this is the difference between a 64-byte code plus
 * its id and more than twice that (docs/decisions/0050). Hand-written because the build has no primitive
 * collections library and this is the only place that needs one. Not thread-safe.
 */
final class LongLongMap {
    private static final long EMPTY = Long.MIN_VALUE; // a key never stored directly: see slotKey
    private long[] keys;
    private long[] values;
    private int size;
    private boolean hasMinKey; // Long.MIN_VALUE itself is kept aside
    private long minKeyValue;

    LongLongMap() {
        this(16);
    }

    LongLongMap(int expected) {
        int cap = 16;
        while (cap * 3L / 4 < expected) {
            cap <<= 1;
        }
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, EMPTY);
    }

    int size() {
        return size + (hasMinKey ? 1 : 0);
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** The value of {@code key}, or {@code missing}. */
    long get(long key, long missing) {
        if (key == EMPTY) {
            return hasMinKey ? minKeyValue : missing;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return missing;
            }
        }
    }

    boolean containsKey(long key) {
        if (key == EMPTY) {
            return hasMinKey;
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return true;
            }
            if (k == EMPTY) {
                return false;
            }
        }
    }

    /** Stores {@code key → value}; returns whether the key was new. */
    boolean put(long key, long value) {
        if (key == EMPTY) {
            boolean added = !hasMinKey;
            hasMinKey = true;
            minKeyValue = value;
            return added;
        }
        if ((size + 1) * 4L > keys.length * 3L) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return false;
            }
            if (k == EMPTY) {
                keys[i] = key;
                values[i] = value;
                size++;
                return true;
            }
        }
    }

    /** Removes {@code key}; returns whether it was present. */
    boolean remove(long key) {
        if (key == EMPTY) {
            boolean had = hasMinKey;
            hasMinKey = false;
            return had;
        }
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == EMPTY) {
                return false;
            }
            if (k == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion: move later entries of the probe run into the hole
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            // entry j may move to the hole when its home is not within (hole, j]
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        size--;
        return true;
    }

    /** Every key, in no particular order. */
    long[] keys() {
        long[] out = new long[size()];
        int n = 0;
        for (long k : keys) {
            if (k != EMPTY) {
                out[n++] = k;
            }
        }
        if (hasMinKey) {
            out[n] = EMPTY;
        }
        return out;
    }

    /** Bytes held by the tables (for the memory accounting of the code tier). */
    long bytes() {
        return 16L * keys.length;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != EMPTY) {
                int i = mix(k) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }
}
