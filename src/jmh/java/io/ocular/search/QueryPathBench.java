package io.ocular.search;

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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The first pass of one compact-code query at the live index's shape (26k codes of 64 bytes, the codes 16 of 256
 * lists hold at 100k × 1280): keeping the k·r best by a heap while scanning ({@code heap}, as before issue 13's
 * query-path work) against scoring every code and selecting by quickselect ({@code select}); and the look-up
 * table built one dot product per entry ({@code lutReference}) against the transposed codebook
 * ({@code lutColumns}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueryPathBench {
    static final int LISTS = 16;
    static final int PER_LIST = 1650;
    static final int M = 64;

    @Param({"500", "2000"})
    int count;

    InvertedLists lists;
    int[] probe;
    float[] base;
    float[] lut;
    ProductQuantizer pq;
    float[] query;
    ScanPool pool;

    @Setup
    public void setUp() {
        Random r = new Random(1);
        lists = new InvertedLists(LISTS, M);
        byte[] code = new byte[M];
        long id = 1;
        for (int l = 0; l < LISTS; l++) {
            for (int i = 0; i < PER_LIST; i++) {
                r.nextBytes(code);
                lists.put(id++, l, code, 0);
            }
        }
        probe = new int[LISTS];
        base = new float[LISTS];
        for (int l = 0; l < LISTS; l++) {
            probe[l] = l;
            base[l] = (float) r.nextGaussian() * 0.1f;
        }
        lut = new float[M * 256];
        for (int i = 0; i < lut.length; i++) {
            lut[i] = (float) r.nextGaussian() * 0.01f;
        }
        int dim = 1280;
        float[] books = new float[256 * dim];
        for (int i = 0; i < books.length; i++) {
            books[i] = (float) r.nextGaussian();
        }
        pq = ProductQuantizer.fromCodebooks(dim, M, books);
        query = new float[dim];
        for (int i = 0; i < dim; i++) {
            query[i] = (float) r.nextGaussian();
        }
        pool = new ScanPool(1);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public Object heap() {
        // a filter that allows everything takes the heap path
        return AdcScanner.shortlist(lists, probe, base, lut, count, pool, Integer.MAX_VALUE, id -> true);
    }

    @Benchmark
    public Object select() {
        return AdcScanner.shortlist(lists, probe, base, lut, count, pool, Integer.MAX_VALUE, null);
    }

    @Benchmark
    public float[] lutReference() {
        float[] out = new float[M * 256];
        pq.innerProductTableReference(query, out);
        return out;
    }

    @Benchmark
    public float[] lutColumns() {
        float[] out = new float[M * 256];
        pq.innerProductTable(query, out);
        return out;
    }
}
