package io.ocular.bench;

import io.ocular.model.ScoredId;
import io.ocular.search.ExactIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.SyntheticVectors;
import io.ocular.store.EmbeddingMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Exact top-10 over 100k vectors: the parallel blocked scan against the naive loop + full sort. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx4g")
public class ExactTopKBench {
    @Param({"512", "1280"})
    int dim;

    @Param({"100000"})
    int n;

    ScanPool pool;
    ExactIndex index;
    float[][] queries;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
        pool = ScanPool.perCore();
        EmbeddingMatrix m = SyntheticVectors.clustered(n, dim, n / 100, 0.8, 1);
        index = ExactIndex.of(m, pool);
        queries = SyntheticVectors.queriesNear(m, 64, 0.5, 2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public List<ScoredId> optimised() {
        return index.search(queries[next++ & 63], 10);
    }

    @Benchmark
    public List<ScoredId> reference() {
        return index.searchReference(queries[next++ & 63], 10);
    }
}
