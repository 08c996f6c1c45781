package io.ocular.search;

/**
 * Turns vectors into compact codes of one byte per subspace and scores codes against a query through a
 * lookup table (asymmetric distance computation), for {@link PqIndex}. Two implementations: {@link
 * ProductQuantizer} (k-means codebooks over the vectors themselves or their IVF residuals; codebooks trained
 * elsewhere plug in through {@link ProductQuantizer#fromCodebooks}) and {@link SpqModel} (a learned head that
 * projects a vector before coding; self-supervised product quantisation).
 */
public interface CodeEncoder {

    /** Length of the vectors this encoder codes. */
    int dimension();

    /** Code length in bytes (= number of subspaces; each byte selects one of at most 256 codewords). */
    int codeBytes();

    /** Writes the code of {@code v[vOff .. vOff + dimension)} to {@code out[outOff .. outOff + codeBytes)}. */
    void encode(float[] v, int vOff, byte[] out, int outOff);

    /**
     * Fills {@code lut[j * 256 + c]} with the score contribution of codeword {@code c} of subspace {@code j}
     * for this query (an inner product; for SPQ the cosine of the projected, normalised sub-vectors); the
     * approximate score of a code is then the sum of one entry per byte. Entries of codewords that do not
     * exist are left untouched.
     */
    void innerProductTable(float[] query, float[] lut);

    /**
     * Whether codes of residuals {@code x - c} (IVF) score as {@code <q, c> + <q, r>}: true for linear
     * encoders (PQ), false for SPQ's non-linear head (an SPQ index scans one list).
     */
    default boolean linear() {
        return true;
    }
}
