package io.ocular.search.local;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DescriptorMatcherTest {

    @Test
    void findsPlantedMatches() {
        LocalFeatures a = Fixtures.random(300, 40, 400, 300, 1);
        LocalFeatures b = Fixtures.transformed(a, 80, 220, 2);
        DescriptorMatcher.Matches m = new DescriptorMatcher(0.5f, 0.9f).match(a, b);
        Set<Integer> correct = new HashSet<>();
        for (int i = 0; i < m.count(); i++) {
            if (m.query()[i] == m.candidate()[i] && m.query()[i] < 80) {
                correct.add(m.query()[i]);
            }
        }
        assertThat(correct).hasSize(80);
        assertThat(m.count()).isLessThan(85); // random 40-d unit vectors almost never pass sim >= 0.5
    }

    @Test
    void fastLoopEqualsScalarReference() {
        for (long seed = 0; seed < 5; seed++) {
            LocalFeatures a = Fixtures.random(150 + (int) seed * 17, 40, 100, 100, seed);
            LocalFeatures b = Fixtures.transformed(a, 50, 90 + (int) seed, seed + 7);
            for (DescriptorMatcher dm : new DescriptorMatcher[]{new DescriptorMatcher(0.3f, 0.95f),
                    new DescriptorMatcher(-1f, 1f)}) {
                DescriptorMatcher.Matches fast = dm.match(a, b);
                DescriptorMatcher.Matches ref = dm.matchReference(a, b);
                assertThat(fast.query()).containsExactly(ref.query());
                assertThat(fast.candidate()).containsExactly(ref.candidate());
                assertThat(fast.similarity()).containsExactly(ref.similarity());
            }
        }
    }

    @Test
    void emptyOrIdenticalDescriptorsGiveNoCrash() {
        LocalFeatures empty = LocalFeatures.empty(10, 10, 40);
        LocalFeatures a = Fixtures.random(20, 40, 100, 100, 1);
        assertThat(new DescriptorMatcher(0.5f, 0.9f).match(empty, a).count()).isZero();
        // featureless image: all descriptors equal -> ratio test rejects everything
        float[] d = new float[20 * 40];
        for (int i = 0; i < 20; i++) {
            d[i * 40] = 1f;
        }
        LocalFeatures flat = new LocalFeatures(100, 100, 40, a.x(), a.y(), a.scale(), d);
        assertThat(new DescriptorMatcher(0.5f, 0.9f).match(flat, flat).count()).isZero();
    }
}
