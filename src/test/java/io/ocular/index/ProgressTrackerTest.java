package io.ocular.index;

import io.ocular.model.IndexProgress;
import io.ocular.model.IndexProgress.State;
import io.ocular.model.SkippedFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTrackerTest {
    private final ProgressTracker t = new ProgressTracker(Clock.systemUTC(), Duration.ofHours(1), 2,
            Duration.ofSeconds(10), s -> s);

    @Test
    void theNoticeSaysWhatTheRunFoundAndResetsWithTheRun() {
        assertThat(t.notice()).isNull();
        t.fresh(3);
        t.moved(1);
        t.removed(2);
        t.offline(Path.of("/media/usb/Photos"));
        IndexProgress p = t.snapshot(State.DONE);
        assertThat(p.notice()).isEqualTo("3 new photos found; 1 moved; 2 removed; "
                + "/media/usb/Photos is offline (drive disconnected?): its photos are kept");
        assertThat(p.recentSkips()).extracting(SkippedFile::path).containsExactly(Path.of("/media/usb/Photos"));
        assertThat(p.skipped()).as("an offline folder is not a skipped file").isZero();
        t.reset();
        t.fresh(1);
        assertThat(t.snapshot().notice()).isEqualTo("1 new photo found");
    }

    @Test
    void throttlesUnforcedSnapshotsButAlwaysDeliversForcedAndFinalOnes() {
        List<IndexProgress> seen = new ArrayList<>();
        t.addListener(seen::add);
        t.publish(false);
        t.publish(false);
        t.publish(true);
        t.publishFinal(State.DONE);
        assertThat(seen).hasSize(3);
        assertThat(seen.get(2).state()).isEqualTo(State.DONE);
        t.found(5);
        t.done(2);
        t.skip(new SkippedFile(Path.of("a"), "x"), true);
        t.skip(new SkippedFile(Path.of("b"), "x"), true);
        t.skip(new SkippedFile(Path.of("c"), "x"), true);
        IndexProgress p = t.snapshot(State.INDEXING);
        assertThat(p.total()).isEqualTo(5);
        assertThat(p.done()).isEqualTo(2);
        assertThat(p.skipped()).isEqualTo(3);
        assertThat(p.recentSkips()).extracting(SkippedFile::path).containsExactly(Path.of("b"), Path.of("c"));
    }
}
