package io.ocular.cli;

import io.ocular.model.IndexProgress;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

    private static IndexProgress progress(IndexProgress.State state, long done, long total, long skipped) {
        return new IndexProgress(state, done, total, skipped, 24.5, Duration.ofSeconds(75), null, List.of());
    }

    @Test
    void formatsDoneTotalRateAndEta() {
        assertThat(ProgressBar.format(progress(IndexProgress.State.INDEXING, 50, 200, 0)))
                .isEqualTo("[########......................] 50/200  24.5 img/s  ETA 1:15");
        assertThat(ProgressBar.format(progress(IndexProgress.State.DONE, 200, 200, 3)))
                .isEqualTo("[##############################] 200/200  24.5 img/s  ETA 1:15  skipped 3  done");
        assertThat(ProgressBar.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }

    @Test
    void nonInteractiveOutputIsThrottledButAlwaysShowsTheEnd() {
        StringWriter sw = new StringWriter();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(sw), false, now::get);
        bar.onProgress(progress(IndexProgress.State.INDEXING, 1, 10, 0));
        now.addAndGet(1_000_000_000L);
        bar.onProgress(progress(IndexProgress.State.INDEXING, 2, 10, 0));
        now.addAndGet(5_000_000_000L);
        bar.onProgress(progress(IndexProgress.State.INDEXING, 5, 10, 0));
        bar.onProgress(progress(IndexProgress.State.DONE, 10, 10, 0));
        assertThat(sw.toString().lines()).hasSize(3)
                .allMatch(l -> !l.contains(" 2/10"));
    }

    @Test
    void interactiveOutputRedrawsInPlace() {
        StringWriter sw = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(sw), true, () -> 0);
        bar.onProgress(progress(IndexProgress.State.INDEXING, 1, 10, 0));
        bar.onProgress(progress(IndexProgress.State.DONE, 10, 10, 0));
        bar.finish();
        assertThat(sw.toString()).startsWith("\r[").contains("\r[##############################] 10/10").endsWith(System.lineSeparator());
    }
}
