package io.ocular.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LaunchHandoffTest {

    @Test
    void argumentsArrivingBeforeTheWindowAreReplayedInOrderThenDeliveredDirectly() {
        LaunchHandoff handoff = new LaunchHandoff();
        handoff.deliver(List.of("/a"));
        handoff.deliver(List.of("/b", "/c"));
        List<List<String>> got = new ArrayList<>();
        handoff.attach(got::add);
        assertThat(got).containsExactly(List.of("/a"), List.of("/b", "/c"));
        handoff.deliver(List.of("/d"));
        assertThat(got).containsExactly(List.of("/a"), List.of("/b", "/c"), List.of("/d"));
    }
}
