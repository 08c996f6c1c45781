package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lists against a plain map, through adds, replaces and removals (with and without a list hint, one by one and in one pass). */
class InvertedListsTest {
    private static final int M = 4;

    private static byte[] code(long id) {
        return new byte[] {(byte) id, (byte) (id >> 8), (byte) (id >> 16), (byte) 7};
    }

    /** Every stored id sits in the list the reference says, with its own code, and nothing else is stored. */
    private static void assertSame(InvertedLists lists, Map<Long, Integer> reference) {
        assertThat(lists.size()).isEqualTo(reference.size());
        Set<Long> seen = new HashSet<>();
        for (int l = 0; l < lists.listCount(); l++) {
            InvertedLists.CodeList cl = lists.list(l);
            for (int i = 0; i < cl.size; i++) {
                long id = cl.ids[i];
                assertThat(reference.get(id)).as("list of %d", id).isEqualTo(l);
                assertThat(Arrays.copyOfRange(cl.codes, i * M, (i + 1) * M)).isEqualTo(code(id));
                assertThat(seen.add(id)).isTrue();
            }
        }
        assertThat(seen).isEqualTo(reference.keySet());
        assertThat(Arrays.stream(lists.ids()).boxed().toList()).containsExactlyInAnyOrderElementsOf(reference.keySet());
    }

    @Test
    void randomAddsReplacesAndRemovalsMatchAPlainMapAndSurviveAWriteAndRead() throws Exception {
        Random r = new Random(5);
        InvertedLists lists = new InvertedLists(16, M);
        Map<Long, Integer> reference = new HashMap<>();
        List<Long> pool = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // clustered ids and multiples of a large power of two collide in a small table
            pool.add(i % 3 == 0 ? (long) i << 20 : 1000L + i);
        }
        for (int step = 0; step < 40_000; step++) {
            long id = pool.get(r.nextInt(pool.size()));
            if (r.nextInt(3) == 0) {
                Integer where = reference.remove(id);
                int hint = r.nextBoolean() ? -1 : where != null && r.nextBoolean() ? where : r.nextInt(16);
                assertThat(lists.remove(id, hint)).isEqualTo(where != null);
            } else if (r.nextInt(4) == 0 && !reference.containsKey(id)) {
                int list = r.nextInt(16);
                lists.append(id, list, code(id), 0);
                reference.put(id, list);
            } else {
                int list = r.nextInt(16);
                lists.put(id, list, code(id), 0);
                reference.put(id, list);
            }
            if (step % 5000 == 0) {
                assertSame(lists, reference);
            }
        }
        assertSame(lists, reference);
        for (long id : pool) {
            assertThat(lists.contains(id)).isEqualTo(reference.containsKey(id));
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        lists.write(new DataOutputStream(bytes));
        InvertedLists back = new InvertedLists(16, M);
        back.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), Long.MAX_VALUE);
        assertSame(back, reference);
        List<Long> half = new ArrayList<>(reference.keySet()).subList(0, reference.size() / 2);
        long[] sorted = half.stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(back.removeAll(sorted)).isEqualTo(half.size());
        Map<Long, Integer> rest = new HashMap<>(reference);
        half.forEach(rest::remove);
        assertSame(back, rest);
        for (long id : rest.keySet()) {
            assertThat(back.remove(id)).isTrue();
        }
        assertSame(back, Map.of());
    }

    @Test
    void aPhotoCostsItsCodeAndItsIdAndNothingElse() {
        InvertedLists lists = new InvertedLists(256, 64);
        byte[] c = new byte[64];
        for (long id = 1; id <= 100_000; id++) {
            lists.put(id, (int) (id % 256), c, 0);
        }
        // 64 B code + 8 B id, + list growth slack (up to 1.5x) for appended codes until trimmed
        assertThat(lists.bytesPerCode()).isGreaterThan(72.0).isLessThan(72 * 1.5);
        lists.trim();
        assertThat(lists.bytesPerCode()).isEqualTo(72.0);
        InvertedLists loaded = new InvertedLists(256, 64);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            lists.write(new DataOutputStream(bytes));
            loaded.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), Long.MAX_VALUE);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        // loaded lists are sized exactly: the target of issue 13 (64 B + id), no table beside them
        assertThat(loaded.bytesPerCode()).isEqualTo(72.0);
    }

    @Test
    void aFileNamingOnePhotoTwiceIsRefused() throws Exception {
        InvertedLists lists = new InvertedLists(2, M);
        lists.put(9, 0, code(9), 0);
        lists.put(10, 1, code(10), 0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        lists.write(new DataOutputStream(bytes));
        byte[] b = bytes.toByteArray();
        // list 1's id (after list 0: size 4 B, id 8 B, code 4 B; then list 1's size) becomes 9 as well
        b[4 + 8 + M + 4 + 7] = 9;
        InvertedLists back = new InvertedLists(2, M);
        assertThatThrownBy(() -> back.read(new DataInputStream(new ByteArrayInputStream(b)), Long.MAX_VALUE))
                .isInstanceOf(ChecksummedFile.CorruptIndexException.class).hasMessageContaining("appears twice");
    }
}
