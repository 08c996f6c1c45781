package io.ocular.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SingleInstanceTest {

    @TempDir
    Path dataDir;

    @Test
    void secondLaunchForwardsItsArgumentsToTheFirstAndDoesNotStart() throws Exception {
        LinkedBlockingQueue<List<String>> received = new LinkedBlockingQueue<>();
        Optional<SingleInstance> first = SingleInstance.acquire(dataDir, List.of(), received::add);
        assertThat(first).isPresent();
        assertThat(first.get().isPrimary()).isTrue();
        try (SingleInstance guard = first.get()) {
            // FileChannel locks are per JVM; a second acquire in the same JVM sees the lock as held
            Optional<SingleInstance> second = SingleInstance.acquire(dataDir, List.of("/photos/Été 2024"), l -> { });
            assertThat(second).isEmpty();
            assertThat(received.poll(5, TimeUnit.SECONDS)).containsExactly("/photos/Été 2024");
        }
    }

    @Test
    void aClosedInstanceFreesTheDataDirectoryForTheNextLaunch() {
        SingleInstance.acquire(dataDir, List.of(), l -> { }).orElseThrow().close();
        Optional<SingleInstance> again = SingleInstance.acquire(dataDir, List.of(), l -> { });
        assertThat(again).isPresent();
        assertThat(again.get().isPrimary()).isTrue();
        again.get().close();
    }

    @Test
    void separateDataDirectoriesDoNotInterfere(@TempDir Path other) {
        try (SingleInstance a = SingleInstance.acquire(dataDir, List.of(), l -> { }).orElseThrow();
             SingleInstance b = SingleInstance.acquire(other, List.of(), l -> { }).orElseThrow()) {
            assertThat(a.isPrimary()).isTrue();
            assertThat(b.isPrimary()).isTrue();
        }
    }
}
