package io.ocular.search;

/**
 * Turns vectors into compact codes of one byte per subspace and scores codes against a query through a
 * lookup table (asymmetric distance computation). {@link ProductQuantizer} trains its codebooks with k-means;
 * codebooks trained elsewhere (e.g. supervised PQ in PyTorch) plug in through
 * {@link ProductQuantizer#fromCodebooks}.
 */
public interface CodeEncoder {

    int dimension();

    /** Code length in bytes (= number of subspaces; each byte selects one of 256 centroids). */
    int codeBytes();

    /** Writes the code of {@code v[vOff .. vOff + dimension)} to {@code out[outOff .. outOff + codeBytes)}. */
    void encode(float[] v, int vOff, byte[] out, int outOff);

    /** Reconstructs the vector a code stands for. */
    void decode(byte[] code, int off, float[] out);

    /**
     * Fills {@code lut[j * 256 + c]} with the inner product of the query's subvector {@code j} and centroid
     * {@code c} of subspace {@code j}; the approximate score of a code is then the sum of one entry per byte.
     */
    void innerProductTable(float[] query, float[] lut);
}
