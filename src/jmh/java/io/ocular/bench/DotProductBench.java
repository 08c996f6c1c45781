package io.ocular.bench;

import io.ocular.search.VectorMath;
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

/** Unrolled dot product (and the four-row kernel) against the scalar reference. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DotProductBench {
    @Param({"512", "1280"})
    int dim;

    float[] a;
    float[] rows;
    float[] out = new float[4];

    @Setup
    public void setUp() {
        Random r = new Random(1);
        a = new float[dim];
        rows = new float[4 * dim];
        for (int i = 0; i < dim; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public float reference() {
        return VectorMath.dotReference(a, 0, rows, 0, dim);
    }

    @Benchmark
    public float unrolled() {
        return VectorMath.dot(a, 0, rows, 0, dim);
    }

    /** Four rows per call: divide by four to compare with one dot. */
    @Benchmark
    public float[] fourRows() {
        VectorMath.dot4(a, rows, 0, dim, out, 0);
        return out;
    }
}
