package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LongLongMapTest {

    @Test
    void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
        Random r = new Random(7);
        LongLongMap map = new LongLongMap();
        Map<Long, Long> ref = new HashMap<>();
        for (int step = 0; step < 50_000; step++) {
            // a small key range forces collisions, replacements and long probe runs
            long key = r.nextInt(5) == 0 ? Long.MIN_VALUE + r.nextInt(3) : r.nextInt(4000) * 1024L;
            if (r.nextInt(3) == 0) {
                assertThat(map.remove(key)).isEqualTo(ref.remove(key) != null);
            } else {
                long v = r.nextLong();
                assertThat(map.put(key, v)).isEqualTo(ref.put(key, v) == null);
            }
            if (step % 997 == 0) {
                assertThat(map.size()).isEqualTo(ref.size());
                for (Map.Entry<Long, Long> e : ref.entrySet()) {
                    assertThat(map.get(e.getKey(), -1)).isEqualTo(e.getValue());
                }
                assertThat(java.util.Arrays.stream(map.keys()).boxed().toList()).containsExactlyInAnyOrderElementsOf(ref.keySet());
            }
        }
        for (long probe = 0; probe < 5000; probe++) {
            assertThat(map.containsKey(probe * 1024L + 1)).isFalse();
        }
    }

    @Test
    void costsAtMostFortyThreeBytesAnEntry() {
        LongLongMap map = new LongLongMap();
        for (long id = 1; id <= 100_000; id++) {
            map.put(id, id);
        }
        assertThat(map.bytes() / 100_000.0).isLessThanOrEqualTo(43.0);
    }
}
