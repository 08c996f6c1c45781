package io.ocular.ui.indexing;

import io.ocular.model.IndexProgress;
import io.ocular.model.SkippedFile;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.fakes.FakeIndexer;
import io.ocular.ui.fakes.QueueExecutor;
import io.ocular.ui.fakes.UiTestCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IndexingViewModelTest {
    final UiTestCatalog catalog = new UiTestCatalog();
    final FakeIndexer indexer = new FakeIndexer(catalog);
    final QueueExecutor ui = new QueueExecutor();
    final IndexingViewModel vm = new IndexingViewModel(indexer, catalog, new UiExecutors(Runnable::run, ui),
            new Notifications());

    static IndexProgress indexing(long done, long total, List<SkippedFile> skips) {
        return new IndexProgress(IndexProgress.State.INDEXING, done, total, skips.size(), 42.5,
                Duration.ofSeconds(125), Path.of("/photos/x" + done + ".jpg"), skips);
    }

    @Test
    void daemonBurstsReachTheUiAsOneUpdateWithTheLatestSnapshot() throws Exception {
        vm.start();
        ui.runAll();
        long before = vm.updatesApplied();
        Thread daemon = new Thread(() -> {
            for (int i = 1; i <= 5000; i++) {
                indexer.publish(indexing(i, 5000, List.of()));
            }
        });
        daemon.start();
        daemon.join();
        assertThat(ui.pending()).isEqualTo(1);
        ui.runAll();
        assertThat(vm.updatesApplied() - before).isEqualTo(1);
        assertThat(vm.countTextProperty().get()).isEqualTo("5,000 / 5,000");
        assertThat(vm.fractionProperty().get()).isEqualTo(1.0);
        assertThat(vm.rateTextProperty().get()).isEqualTo("42.5 images/s");
        assertThat(vm.etaTextProperty().get()).isEqualTo("about 2 min left");
        assertThat(vm.activeProperty().get()).isTrue();
    }

    @Test
    void skipsAccumulateWithoutDuplicatesIncludingEarlierRuns() {
        UiTestCatalog c = new UiTestCatalog();
        long f = c.addFolder(Path.of("/photos")).id();
        c.addSkipped(f, Path.of("/photos/old.jpg"), "truncated JPEG");
        IndexingViewModel vm2 = new IndexingViewModel(new FakeIndexer(c), c, UiExecutors.direct(), new Notifications());
        vm2.start();
        vm2.onProgress(indexing(1, 3, List.of(new SkippedFile(Path.of("/photos/a.txt"), "not an image"))));
        vm2.onProgress(indexing(2, 3, List.of(new SkippedFile(Path.of("/photos/a.txt"), "not an image"),
                new SkippedFile(Path.of("/photos/b.jpg"), "0 bytes"))));
        assertThat(vm2.skipped()).extracting(SkippedFile::reason)
                .containsExactly("truncated JPEG", "not an image", "0 bytes");
    }

    @Test
    void pauseResumeCancelReachTheDaemonAndTheStateFollows() {
        IndexingViewModel direct = new IndexingViewModel(indexer, catalog, UiExecutors.direct(), new Notifications());
        direct.start();
        indexer.publish(indexing(1, 10, List.of()));
        direct.togglePause();
        assertThat(direct.pausedProperty().get()).isTrue();
        assertThat(direct.stateTextProperty().get()).isEqualTo("Paused");
        direct.togglePause();
        assertThat(direct.pausedProperty().get()).isFalse();
        direct.cancel();
        assertThat(indexer.commands).containsExactly("pause", "resume", "cancel");
        assertThat(direct.activeProperty().get()).isFalse();
        direct.close();
        assertThat(indexer.listenerCount()).isZero();
    }

    @Test
    void aPauseForAFullDiskSaysWhyInThePanel() {
        IndexingViewModel direct = new IndexingViewModel(indexer, catalog, UiExecutors.direct(), new Notifications());
        String why = "The disk holding Ocular's data folder /d is full (20 MB free): indexing is paused, and nothing"
                + " indexed so far is lost. Free at least 64 MB space on it. Indexing resumes by itself then.";
        direct.onProgress(new IndexProgress(IndexProgress.State.PAUSED, 40, 240, 0, 0, null, null, List.of(), why));
        assertThat(direct.pausedProperty().get()).isTrue();
        assertThat(direct.stateTextProperty().get()).isEqualTo("Paused: " + why);
    }

    @Test
    void scanningWithUnknownTotalIsIndeterminateAndEtaIsReadable() {
        IndexingViewModel direct = new IndexingViewModel(indexer, catalog, UiExecutors.direct(), new Notifications());
        direct.onProgress(new IndexProgress(IndexProgress.State.SCANNING, 0, 0, 0, 0, null, null, List.of()));
        assertThat(direct.fractionProperty().get()).isEqualTo(-1);
        assertThat(direct.etaTextProperty().get()).isEmpty();
        assertThat(IndexingViewModel.formatEta(Duration.ofSeconds(3), io.ocular.ui.common.Messages.english())).isEqualTo("about 3 s left");
        assertThat(IndexingViewModel.formatEta(Duration.ofMinutes(135), io.ocular.ui.common.Messages.english())).isEqualTo("about 2 h 15 min left");
    }

    @Test
    void aFinishedRunSaysWhatItFound() {
        IndexingViewModel direct = new IndexingViewModel(indexer, catalog, UiExecutors.direct(), new Notifications());
        direct.onProgress(new IndexProgress(IndexProgress.State.DONE, 3, 3, 0, 0, null, null, List.of(),
                "3 new photos found"));
        assertThat(direct.stateTextProperty().get()).isEqualTo("Done: 3 new photos found");
        direct.onProgress(new IndexProgress(IndexProgress.State.DONE, 3, 3, 0, 0, null, null, List.of()));
        assertThat(direct.stateTextProperty().get()).isEqualTo("Done");
    }

    @Test
    void theIndexersNoticeIsSaidInTheWindowsLanguage() {
        var ko = io.ocular.ui.common.Messages.of(java.util.Locale.KOREAN);
        // ProgressTracker.notice()'s words
        String notice = "1,234 new photos found; 2 moved; 1 removed; /media/usb is offline (drive disconnected?): its"
                + " photos are kept; something new";
        assertThat(IndexingViewModel.localNotice(notice, ko)).isEqualTo("새 사진 1,234장 찾음; 2장 옮겨짐; 1장 제거됨; "
                + "/media/usb 연결 끊김(드라이브가 분리되었나요?): 사진 정보는 그대로 유지됩니다; something new");
        assertThat(IndexingViewModel.localNotice("1 new photo found", io.ocular.ui.common.Messages.english()))
                .isEqualTo("1 new photo found");
    }
}
