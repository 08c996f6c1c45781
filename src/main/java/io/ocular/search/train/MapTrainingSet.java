package io.ocular.search.train;

import java.util.Arrays;

/**
 * Feature maps of augmented views of the user's photos for SPQ's map head: {@code maps[i][v]} is view {@code v}
 * of photo {@code i}, {@code channels × cells} bytes, channel-major, quantised as {@link
 * io.ocular.search.MapPooling#quantise} (a ReLU6 map in steps of 6/255), so several views of every photo fit in
 * memory. {@code cyclePartners[i]}: a cycle-consistent photo from another folder, or -1.
 */
public record MapTrainingSet(byte[][][] maps, int channels, int cells, int[] cyclePartners) {
    public MapTrainingSet {
        if (maps.length == 0) {
            throw new IllegalArgumentException("no photos to train on");
        }
        if (channels < 1 || cells < 1) {
            throw new IllegalArgumentException("a feature map needs channels and cells");
        }
        for (byte[][] photo : maps) {
            if (photo.length == 0) {
                throw new IllegalArgumentException("a photo has no views");
            }
            for (byte[] v : photo) {
                if (v.length != channels * cells) {
                    throw new IllegalArgumentException("a view map has " + v.length + " values, expected "
                            + channels * cells);
                }
            }
        }
        if (cyclePartners == null) {
            cyclePartners = new int[maps.length];
            Arrays.fill(cyclePartners, -1);
        } else if (cyclePartners.length != maps.length) {
            throw new IllegalArgumentException("one cycle partner (or -1) per photo");
        }
    }

    public MapTrainingSet withCyclePartners(int[] partners) {
        return new MapTrainingSet(maps, channels, cells, partners);
    }

    public int size() {
        return maps.length;
    }

    public int views(int photo) {
        return maps[photo].length;
    }

    /** Bytes held (what the cache costs in memory). */
    public long bytes() {
        long b = 0;
        for (byte[][] photo : maps) {
            for (byte[] v : photo) {
                b += v.length;
            }
        }
        return b;
    }
}
