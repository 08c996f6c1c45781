package io.ocular.bench;

import io.ocular.search.AdcScanner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * ADC over 100k codes: the unrolled flat-table scan reading eight code bytes as one long ({@code unrolled}, what
 * search uses), the same sums reading byte by byte ({@code bytewise}, its twin before issue 13's query-path work),
 * and the 2-D-table scalar reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdcScanBench {
    static final int N = 100_000;

    @Param({"8", "32", "64"})
    int m;

    byte[] codes;
    float[] lut;
    float[][] table;

    @Setup
    public void setUp() {
        Random r = new Random(2);
        codes = new byte[N * m];
        r.nextBytes(codes);
        lut = new float[m * 256];
        table = new float[m][256];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < 256; c++) {
                lut[j * 256 + c] = table[j][c] = (float) r.nextGaussian();
            }
        }
    }

    @Benchmark
    public float reference() {
        float best = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            best = Math.max(best, AdcScanner.adcReference(codes, i * m, m, table));
        }
        return best;
    }

    @Benchmark
    public float bytewise() {
        float best = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            best = Math.max(best, AdcScanner.adcBytewise(codes, i * m, m, lut));
        }
        return best;
    }

    @Benchmark
    public float unrolled() {
        float best = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < N; i++) {
            best = Math.max(best, AdcScanner.adc(codes, i * m, m, lut));
        }
        return best;
    }
}
