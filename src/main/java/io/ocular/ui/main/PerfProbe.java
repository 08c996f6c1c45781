package io.ocular.ui.main;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.skin.VirtualFlow;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opt-in measurement of the real window (issue 11), off unless a system property asks for it:
 * {@code -Docular.perf.log=true} prints one line when the grid first shows photos after launch and one when the
 * thumbnails of that first screen are in (milliseconds since the JVM started); {@code -Docular.perf.scroll=true}
 * then scrolls the grid (first like a mouse wheel, {@value #WHEEL_PX_PER_S} px/s for
 * {@code ocular.perf.wheelSeconds}, then top to bottom at a steady rate like dragging the scroll bar for
 * {@code ocular.perf.dragSeconds} down to the end and as long back to the top), prints the frame gaps of each
 * phase, the heap after GC and the process's resident memory, and closes the window;
 * {@code -Docular.perf.searches=N} runs N "More like this" searches one after another once the first thumbnails
 * are in (after the scrolling, when both are asked; by the image file {@code -Docular.perf.searchFile=PATH} if
 * given, as if dropped on the window), printing when each one's results show, with VmRSS/VmHWM.
 * Lines start with {@code ocular.perf} on standard output, for
 * {@code scripts/measure_window.sh}.
 *
 * <p>An {@link AnimationTimer} runs only while measuring, so a normal start pays nothing.
 */
final class PerfProbe extends AnimationTimer {
    static final String LOG = "ocular.perf.log";
    static final String SCROLL = "ocular.perf.scroll";
    /** After the first screen of thumbnails: this many "More like this" searches, one after another (issue 13). */
    static final String SEARCHES = "ocular.perf.searches";
    /** The searches are by this image file (as if dropped on the window) instead of "More like this". */
    static final String SEARCH_FILE = "ocular.perf.searchFile";
    private static final double WHEEL_PX_PER_S = 2000;
    private static final long THUMBS_TIMEOUT_NS = 60_000_000_000L;

    private enum Phase { WAIT_GRID, WAIT_THUMBS, SEARCH, WHEEL, DRAG, PAUSE, DONE }

    /**
     * Seconds the window sits idle after the scrolling and after the searches ({@code ocular.perf.pauseSeconds},
     * default 0), printing the resident memory at the start and end of each pause: what the collector gives back
     * when the user stops, and time for {@code jcmd} snapshots (issue 13).
     */
    private final double pauseSeconds = Double.parseDouble(System.getProperty("ocular.perf.pauseSeconds", "0"));
    private boolean searchAfterPause; // else exit after the pause

    private final PhotoGrid grid;
    private final boolean scroll;
    private final int searches = Integer.getInteger(SEARCHES, 0);
    private int searched; // searches started
    private final String searchFile = System.getProperty(SEARCH_FILE);
    private boolean searchDone; // the running search ended (its busy flag dropped)
    private long searchStart;
    private final double wheelSeconds = Double.parseDouble(System.getProperty("ocular.perf.wheelSeconds", "10"));
    private final double dragSeconds = Double.parseDouble(System.getProperty("ocular.perf.dragSeconds", "30"));
    private final long[] gaps = new long[100_000];
    private int count;
    private Phase phase = Phase.WAIT_GRID;
    private long phaseStart;
    private long last;

    private PerfProbe(PhotoGrid grid, boolean scroll) {
        this.grid = grid;
        this.scroll = scroll;
    }

    /** Starts measuring {@code grid} when a system property asks for it; otherwise does nothing. */
    static void attachIfEnabled(PhotoGrid grid) {
        boolean scroll = Boolean.getBoolean(SCROLL);
        if (scroll || Boolean.getBoolean(LOG) || Integer.getInteger(SEARCHES, 0) > 0) {
            new PerfProbe(grid, scroll).start();
        }
    }

    @Override
    public void handle(long now) {
        VirtualFlow<?> flow = grid.flow();
        switch (phase) {
            case WAIT_GRID -> {
                if (flow != null && grid.photoCount() > 0 && flow.getFirstVisibleCell() != null) {
                    print("grid_filled_ms=%d photos=%d rows=%d", sinceStart(), grid.photoCount(),
                            grid.rows().rows().size());
                    next(Phase.WAIT_THUMBS, now);
                }
            }
            case WAIT_THUMBS -> {
                int[] shown = thumbnailsShown(flow);
                boolean all = shown[1] > 0 && shown[0] == shown[1];
                if (all || now - phaseStart > THUMBS_TIMEOUT_NS) {
                    print("thumbnails_shown_ms=%d shown=%d of %d%s", sinceStart(), shown[0], shown[1],
                            all ? "" : " (timed out)");
                    print("shown %s", procStatus());
                    if (scroll) { // scrolled through first, then searched (issue 13: memory after each)
                        next(Phase.WHEEL, now);
                    } else if (searches > 0) {
                        next(Phase.SEARCH, now);
                        startSearch();
                    } else {
                        stop();
                    }
                }
            }
            case SEARCH -> {
                SearchViewModel vm = grid.search();
                if (searchDone && flow.getFirstVisibleCell() != null) {
                    print("search_shown_ms=%d search=%d wall_ms=%d hits=%d status=\"%s\" %s", sinceStart(), searched,
                            (System.nanoTime() - searchStart) / 1_000_000, grid.photoCount(),
                            vm.statusProperty().get(), procStatus());
                    if (searched < searches) {
                        startSearch();
                    } else {
                        print("done");
                        if (scroll) {
                            pause(false, now);
                        } else {
                            next(Phase.DONE, now);
                            stop();
                        }
                    }
                }
            }
            case WHEEL -> {
                record(now);
                double t = (now - phaseStart) / 1e9;
                flow.scrollPixels(WHEEL_PX_PER_S * (now - last) / 1e9);
                if (t >= wheelSeconds) {
                    print("wheel_scroll %s seconds=%.1f px_per_s=%.0f", FrameGaps.of(gaps, count).line(), t,
                            WHEEL_PX_PER_S);
                    flow.setPosition(0);
                    next(Phase.DRAG, now);
                }
            }
            case DRAG -> {
                record(now);
                double t = (now - phaseStart) / 1e9;
                // to the end and back to the top, at a steady rate
                flow.setPosition(t <= dragSeconds ? t / dragSeconds : Math.max(0, 2 - t / dragSeconds));
                if (t >= 2 * dragSeconds + 1) {
                    print("drag_scroll %s seconds=%.1f rows=%d %s", FrameGaps.of(gaps, count).line(), t,
                            grid.rows().rows().size(), procStatus());
                    pause(searches > 0, now);
                }
            }
            case PAUSE -> {
                // the timer is stopped while paused (no pulses: the window idles); this runs once when it restarts
                if (searchAfterPause) {
                    next(Phase.SEARCH, now);
                    startSearch();
                } else {
                    next(Phase.DONE, now);
                    stop();
                    memoryAndExit();
                }
            }
            default -> stop();
        }
        last = now;
    }

    /** "More like this" on the photo at the top left of the grid (the library's newest, or the last best hit). */
    private void startSearch() {
        SearchViewModel vm = grid.search();
        searched++;
        searchDone = false;
        searchStart = System.nanoTime();
        ChangeListener<Boolean> ended = new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends Boolean> o, Boolean was, Boolean busy) {
                if (!busy) {
                    searchDone = true;
                    o.removeListener(this);
                }
            }
        };
        vm.busyProperty().addListener(ended);
        if (searchFile != null) {
            vm.searchFile(Path.of(searchFile));
        } else {
            vm.moreLikeThis(vm.results().get(Math.min(searched, vm.results().size() - 1)));
        }
        if (!vm.busyProperty().get()) { // refused at once (e.g. not an image): nothing runs
            vm.busyProperty().removeListener(ended);
            searchDone = true;
        }
    }

    /** Stops the timer (the window idles: no animation asks for frames) and restarts it after the pause. */
    private void pause(boolean thenSearch, long now) {
        searchAfterPause = thenSearch;
        print("pause seconds=%.0f %s cpu_s=%s", pauseSeconds, procStatus(), processCpuSeconds());
        next(Phase.PAUSE, now);
        stop();
        Thread wake = new Thread(() -> {
            try {
                Thread.sleep((long) (pauseSeconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Platform.runLater(() -> {
                print("pause_end %s cpu_s=%s", procStatus(), processCpuSeconds());
                start();
            });
        }, "perf-pause");
        wake.setDaemon(true);
        wake.start();
    }

    private void next(Phase p, long now) {
        phase = p;
        phaseStart = now;
        count = 0;
    }

    private void record(long now) {
        if (now != phaseStart && count < gaps.length) {
            gaps[count++] = now - last;
        }
    }

    /** {loaded, all} thumbnails in the rows on screen. */
    private static int[] thumbnailsShown(VirtualFlow<?> flow) {
        int[] shown = new int[2];
        IndexedCell<?> first = flow == null ? null : flow.getFirstVisibleCell();
        IndexedCell<?> lastCell = flow == null ? null : flow.getLastVisibleCell();
        if (first == null || lastCell == null) {
            return shown;
        }
        for (int i = first.getIndex(); i <= lastCell.getIndex(); i++) {
            IndexedCell<?> cell = flow.getVisibleCell(i);
            if (cell == null) {
                continue;
            }
            for (Node n : cell.lookupAll(".result-cell")) {
                if (n instanceof ResultCell rc && rc.getItem() != null) {
                    shown[1]++;
                    shown[0] += rc.thumbnailShown() ? 1 : 0;
                }
            }
        }
        return shown;
    }

    private void memoryAndExit() {
        System.gc();
        System.gc();
        MemoryUsage usage = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long max = Runtime.getRuntime().maxMemory();
        long gcs = 0;
        long gcMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
            gcMs += Math.max(0, gc.getCollectionTime());
        }
        print("memory heap_after_gc_mb=%.1f heap_committed_mb=%.1f heap_max_mb=%.0f %s photos=%d gc_count=%d"
                        + " gc_pause_ms=%d process_cpu_s=%s", usage.getUsed() / 1048576.0,
                usage.getCommitted() / 1048576.0, max / 1048576.0, procStatus(), grid.photoCount(), gcs, gcMs,
                processCpuSeconds());
        Platform.exit();
    }

    /** VmRSS and VmHWM from /proc/self/status (Linux), in MB. */
    private static String procStatus() {
        StringBuilder s = new StringBuilder();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    s.append(line, 0, 5).append("_mb=").append(String.format(Locale.ROOT, "%.1f ", kb / 1024.0));
                }
            }
        } catch (IOException | NumberFormatException e) {
            s.append("rss=unavailable(").append(e.getMessage()).append(") ");
        }
        return s.toString().trim();
    }

    /**
     * User + system CPU of the process from /proc/self/stat (Linux; clock ticks of 1/100 s), or "unavailable": the
     * packaged runtime has no jdk.management module for com.sun.management's process CPU time.
     */
    private static String processCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return String.format(Locale.ROOT, "%.1f", (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
        } catch (IOException | RuntimeException e) {
            return "unavailable";
        }
    }

    private static long sinceStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    private static void print(String format, Object... args) {
        System.out.println("ocular.perf " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
