package io.ocular.search.train;

import io.ocular.search.ComposedTriplets;
import io.ocular.search.ExactIndex;
import io.ocular.search.VectorMath;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic composed-retrieval data whose target is a known non-additive function of reference and text. An
 * image is {@code blocks} attribute blocks, each one of {@code values} prototype vectors (plus noise); a
 * modification text says "set block b to value v" and the target is the reference with block b replaced. The
 * text vector is only partly in the image basis: {@code normalise(alpha · [P(b,v) in block b] + (1 − alpha) ·
 * R(b,v))} with R a fixed random direction per (b, v), like a text tower whose space is only roughly aligned
 * with the image tower's. The sum cannot remove the old value of block b and is misled by R; the Combiner can
 * learn both. Galleries are clusters: a base image and all its single-block edits; references are bases, so each
 * target competes with blocks·(values−1) images exactly as similar to the reference as it is (CIRR's "hard" set
 * in spirit).
 */
final class SyntheticComposition {
    final int blocks;
    final int values;
    final int blockDim;
    final float alpha;
    final float noise;
    private final float[][][] prototypes;
    private final float[][][] textDirections;

    SyntheticComposition(int blocks, int values, int blockDim, float alpha, float noise, long worldSeed) {
        this.blocks = blocks;
        this.values = values;
        this.blockDim = blockDim;
        this.alpha = alpha;
        this.noise = noise;
        Random rnd = new Random(worldSeed);
        prototypes = new float[blocks][values][];
        textDirections = new float[blocks][values][];
        for (int b = 0; b < blocks; b++) {
            for (int v = 0; v < values; v++) {
                prototypes[b][v] = gaussianUnit(rnd, blockDim);
                textDirections[b][v] = gaussianUnit(rnd, blocks * blockDim);
            }
        }
    }

    int dim() {
        return blocks * blockDim;
    }

    /** A gallery of {@code clusters} × (1 + blocks·(values−1)) images and triplets over it. */
    record Split(float[][] gallery, ComposedTriplets triplets, long[] referenceIds) {
        ExactIndex index() {
            ExactIndex idx = new ExactIndex(gallery[0].length, null);
            int d = gallery[0].length;
            float[] flat = new float[gallery.length * d];
            long[] ids = new long[gallery.length];
            for (int i = 0; i < gallery.length; i++) {
                System.arraycopy(gallery[i], 0, flat, i * d, d);
                ids[i] = i;
            }
            idx.addAll(ids, flat);
            return idx;
        }
    }

    Split sample(int clusters, int triplets, long seed) {
        Random rnd = new Random(seed);
        List<float[]> gallery = new ArrayList<>();
        List<int[]> combos = new ArrayList<>();
        int perCluster = 1 + blocks * (values - 1);
        for (int c = 0; c < clusters; c++) {
            int[] base = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                base[b] = rnd.nextInt(values);
            }
            combos.add(base);
            gallery.add(image(base, rnd));
            for (int b = 0; b < blocks; b++) {
                for (int v = 0; v < values; v++) {
                    if (v != base[b]) {
                        int[] edit = base.clone();
                        edit[b] = v;
                        combos.add(edit);
                        gallery.add(image(edit, rnd));
                    }
                }
            }
        }
        float[][] refs = new float[triplets][];
        float[][] texts = new float[triplets][];
        float[][] targets = new float[triplets][];
        long[] targetIds = new long[triplets];
        long[] refIds = new long[triplets];
        for (int t = 0; t < triplets; t++) {
            int cluster = rnd.nextInt(clusters);
            int first = cluster * perCluster;
            int ref = first;   // the base: all blocks·(values−1) edits are equally similar to it
            int[] rc = combos.get(ref);
            int b = rnd.nextInt(blocks);
            int v;
            do {
                v = rnd.nextInt(values);
            } while (v == rc[b]);
            int[] tc = rc.clone();
            tc[b] = v;
            int target = -1;
            for (int i = first; i < first + perCluster; i++) {
                if (java.util.Arrays.equals(combos.get(i), tc)) {
                    target = i;
                }
            }
            refs[t] = gallery.get(ref);
            texts[t] = text(b, v, rnd);
            targets[t] = gallery.get(target);
            targetIds[t] = target;
            refIds[t] = ref;
        }
        return new Split(gallery.toArray(new float[0][]), new ComposedTriplets(refs, texts, targets, targetIds), refIds);
    }

    private float[] image(int[] combo, Random rnd) {
        float[] x = new float[dim()];
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < blockDim; j++) {
                x[b * blockDim + j] = prototypes[b][combo[b]][j] + (float) rnd.nextGaussian() * noise;
            }
        }
        return VectorMath.normalise(x);
    }

    private float[] text(int block, int value, Random rnd) {
        float[] x = new float[dim()];
        for (int j = 0; j < blockDim; j++) {
            x[block * blockDim + j] = alpha * prototypes[block][value][j];
        }
        for (int j = 0; j < x.length; j++) {
            x[j] += (1 - alpha) * textDirections[block][value][j] + (float) rnd.nextGaussian() * noise / 2;
        }
        return VectorMath.normalise(x);
    }

    private static float[] gaussianUnit(Random rnd, int d) {
        float[] x = new float[d];
        for (int i = 0; i < d; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return VectorMath.normalise(x);
    }
}
