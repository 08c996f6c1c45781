package io.ocular.ui.main;

import io.ocular.model.OcularException;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.SystemPlayer;
import io.ocular.ui.common.UiExecutors;
import javafx.beans.value.ObservableDoubleValue;
import javafx.scene.layout.StackPane;
import javafx.scene.media.Media;
import javafx.scene.media.MediaException;
import javafx.scene.media.MediaPlayer;
import javafx.scene.media.MediaView;
import javafx.util.Duration;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Plays a video in the viewer from a moment: JavaFX {@link MediaPlayer} for what it decodes (H.264/AAC in MP4;
 * decision 0140), the system player otherwise, and also when JavaFX reports an error on a file it was given (an
 * HEVC phone clip in an .mp4). One player at a time; {@link #stop} releases it. FX thread only.
 */
final class VideoPlayback {
    /** Containers JavaFX Media plays (with H.264 video); MOV, MKV and the rest go to the system player. */
    static final Set<String> PLAYS_INSIDE = Set.of("mp4", "m4v");

    private final StackPane frame;
    private final ObservableDoubleValue fitWidth;
    private final double fitHeight;
    private final SystemPlayer system;
    private final UiExecutors executors;
    private final Consumer<String> notice;
    private final Messages msg;
    private MediaPlayer player;
    private MediaView view;

    /**
     * @param frame  where the video is shown (over the still)
     * @param notice shows a line to the user (null or "" clears it)
     */
    VideoPlayback(StackPane frame, ObservableDoubleValue fitWidth, double fitHeight, SystemPlayer system,
                  UiExecutors executors, Consumer<String> notice, Messages msg) {
        this.msg = msg;
        this.frame = frame;
        this.fitWidth = fitWidth;
        this.fitHeight = fitHeight;
        this.system = system;
        this.executors = executors;
        this.notice = notice;
    }

    static boolean playsInside(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot > 0 && PLAYS_INSIDE.contains(name.substring(dot + 1));
    }

    /** Plays {@code file} from {@code fromMs}: here when JavaFX can, else in the system player. */
    void play(Path file, long fromMs) {
        stop();
        if (!playsInside(file)) {
            openOutside(file, msg.get("viewer.videoOutside"));
            return;
        }
        MediaPlayer p;
        try {
            p = new MediaPlayer(new Media(file.toUri().toString()));
        } catch (MediaException | IllegalArgumentException | UnsupportedOperationException e) {
            openOutside(file, msg.format("viewer.videoCannotPlay", String.valueOf(e.getMessage())));
            return;
        }
        player = p;
        view = new MediaView(p);
        view.setPreserveRatio(true);
        view.fitWidthProperty().bind(fitWidth);
        view.setFitHeight(fitHeight);
        frame.getChildren().add(view);
        Duration start = Duration.millis(Math.max(0, fromMs));
        p.setStartTime(start); // the first frame shown is the moment's; seek below keeps it exact once ready
        p.setOnReady(() -> {
            p.seek(start);
            p.play();
        });
        p.setOnError(() -> {
            if (player == p) {
                stop();
                openOutside(file, msg.format("viewer.videoCannotPlay",
                        p.getError() == null ? "?" : String.valueOf(p.getError().getMessage())));
            }
        });
        notice.accept(null);
    }

    /** Stops and releases the player, if any. */
    void stop() {
        if (player != null) {
            MediaPlayer p = player;
            player = null;
            p.dispose();
        }
        if (view != null) {
            frame.getChildren().remove(view);
            view = null;
        }
    }

    /** The current player (tests), or null. */
    MediaPlayer player() {
        return player;
    }

    private void openOutside(Path file, String message) {
        CompletableFuture.runAsync(() -> system.open(file), executors.background())
                .whenCompleteAsync((v, failure) -> {
                    Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
                    notice.accept(cause == null ? message : cause instanceof OcularException
                            ? cause.getMessage() : String.valueOf(cause));
                }, executors.ui());
    }
}
