package io.ocular.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Carries arguments that later launches forwarded through {@link SingleInstance} to the open window. They may
 * arrive before the window exists, so they are buffered until {@link #attach} is called.
 */
public final class LaunchHandoff {
    private final List<List<String>> pending = new ArrayList<>();
    private Consumer<List<String>> handler;

    /** Called by the single-instance guard's thread. */
    public void deliver(List<String> args) {
        Consumer<List<String>> h;
        synchronized (this) {
            if (handler == null) {
                pending.add(List.copyOf(args));
                return;
            }
            h = handler;
        }
        h.accept(List.copyOf(args));
    }

    /** Called once the window is up; replays what arrived before. */
    public void attach(Consumer<List<String>> h) {
        List<List<String>> replay;
        synchronized (this) {
            handler = h;
            replay = new ArrayList<>(pending);
            pending.clear();
        }
        replay.forEach(h);
    }
}
