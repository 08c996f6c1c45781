package io.ocular.embed;

/**
 * sentence-transformers' mask-aware mean pooling: the average of a text's token vectors over the
 * positions whose attention mask is 1 ([CLS] and [SEP] included), {@code sum(h·mask) / max(sum(mask), 1e-9)}.
 * Padded positions never count, whatever the transformer put there.
 */
public final class MeanPooling {

    private MeanPooling() {
    }

    /**
     * Pools one row of a {@code [batch, seq, hidden]} output.
     *
     * @param hidden the whole output, flattened row-major
     * @param row    which batch row
     * @param seq    sequence length of the batch
     * @param width  hidden size
     * @param mask   that row's attention mask (length {@code seq})
     */
    public static float[] pool(float[] hidden, int row, int seq, int width, long[] mask) {
        if (mask.length != seq) {
            throw new IllegalArgumentException("mask length " + mask.length + " != sequence length " + seq);
        }
        double[] sum = new double[width];
        double count = 0;
        int base = row * seq * width;
        for (int t = 0; t < seq; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count += mask[t];
            int off = base + t * width;
            for (int j = 0; j < width; j++) {
                sum[j] += (double) hidden[off + j] * mask[t];
            }
        }
        double div = Math.max(count, 1e-9);
        float[] out = new float[width];
        for (int j = 0; j < width; j++) {
            out[j] = (float) (sum[j] / div);
        }
        return out;
    }
}
