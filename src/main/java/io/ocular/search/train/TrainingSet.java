package io.ocular.search.train;

import java.util.Arrays;

/**
 * Features of augmented views of the user's photos, from the frozen image encoder: {@code views[i][v]} is
 * view {@code v} of photo {@code i}. {@code cyclePartners[i]} is a photo from another folder that is a
 * cycle-consistent neighbour of photo {@code i} ({@link CyclePositives}), or -1.
 */
public record TrainingSet(float[][][] features, int[] cyclePartners) {
    public TrainingSet {
        if (features.length == 0) {
            throw new IllegalArgumentException("no photos to train on");
        }
        int dim = features[0][0].length;
        for (float[][] photo : features) {
            if (photo.length == 0) {
                throw new IllegalArgumentException("a photo has no views");
            }
            for (float[] v : photo) {
                if (v.length != dim) {
                    throw new IllegalArgumentException("views have different dimensions");
                }
            }
        }
        if (cyclePartners == null) {
            cyclePartners = new int[features.length];
            Arrays.fill(cyclePartners, -1);
        } else if (cyclePartners.length != features.length) {
            throw new IllegalArgumentException("one cycle partner (or -1) per photo");
        }
    }

    public static TrainingSet withoutCycles(float[][][] features) {
        return new TrainingSet(features, null);
    }

    public TrainingSet withCyclePartners(int[] partners) {
        return new TrainingSet(features, partners);
    }

    public int size() {
        return features.length;
    }

    public int dimension() {
        return features[0][0].length;
    }

    public int views(int photo) {
        return features[photo].length;
    }

    public float[] view(int photo, int v) {
        return features[photo][v];
    }

    public int cyclePartner(int photo) {
        return cyclePartners[photo];
    }
}
