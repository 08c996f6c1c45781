package io.ocular.index;

import io.ocular.index.CommandScheduler.Command;
import io.ocular.model.IndexProgress.State;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The command queue without threads: coalescing, runs, cancel, pause. */
class CommandSchedulerTest {
    private final AtomicInteger runs = new AtomicInteger();
    private final CommandScheduler s = new CommandScheduler(runs::incrementAndGet);

    @Test
    void aBurstOfScansOfOneFolderIsOnePendingScan() throws Exception {
        Path a = Path.of("/lib/a");
        for (int i = 0; i < 10_000; i++) {
            s.submit(new Command.Scan(a), false);
        }
        assertThat(s.submit(new Command.Scan(a.resolve("sub")), false)).as("inside a pending scan").isFalse();
        assertThat(s.submit(new Command.Scan(Path.of("/lib/b")), false)).isTrue();
        assertThat(s.take()).isEqualTo(new Command.Scan(a));
        assertThat(s.take()).isEqualTo(new Command.Scan(Path.of("/lib/b")));
        assertThat(s.pending()).isFalse();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aPendingFullRescanAbsorbsEveryScanButNotOtherCommands() {
        s.submit(new Command.Scan(null), false);
        assertThat(s.submit(new Command.Scan(Path.of("/x")), false)).isFalse();
        assertThat(s.submit(new Command.AddFolder(Path.of("/x")), false)).isTrue();
        assertThat(CommandScheduler.coalesces(List.of(new Command.Scan(Path.of("/x"))), new Command.Scan(null)))
                .as("a full rescan is not inside a folder scan").isFalse();
    }

    @Test
    void aRunEndsWhenTheQueueIsDrainedAndCancelDropsWhatIsQueued() throws Exception {
        s.submit(new Command.Scan(null), false);
        s.submit(new Command.RemoveFolder(3), true);
        assertThat(s.take()).isEqualTo(new Command.RemoveFolder(3));
        assertThat(s.finalState()).as("more is queued").isNull();
        long gen = s.generation();
        assertThat(s.cancel()).isTrue();
        assertThat(s.generation()).isGreaterThan(gen);
        assertThat(s.pending()).isFalse();
        assertThat(s.displayed(State.INDEXING)).isEqualTo(State.CANCELLING);
        assertThat(s.finalState()).isEqualTo(State.IDLE);
        assertThat(s.awaitIdle(Duration.ZERO)).isFalse();
        s.idleIfDrained();
        assertThat(s.awaitIdle(Duration.ZERO)).isTrue();
        assertThat(s.cancel()).as("nothing to cancel while idle").isFalse();

        s.submit(new Command.FollowUp(), false);
        assertThat(runs).hasValue(2);
        s.failed();
        s.take();
        assertThat(s.finalState()).isEqualTo(State.FAILED);
    }

    @Test
    void pauseShowsWhileRunningAndCloseEndsTake() throws Exception {
        s.submit(new Command.Scan(null), false);
        s.pause(true);
        assertThat(s.displayed(State.SCANNING)).isEqualTo(State.PAUSED);
        assertThat(s.displayed(State.DONE)).isEqualTo(State.DONE);
        s.take();
        s.close();
        assertThat(s.take()).isNull();
        assertThat(s.submit(new Command.Scan(null), false)).isFalse();
    }
}
