package io.ocular.ui.help;

import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.FolderOpener;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HelpViewModelTest {
    final Notifications notes = new Notifications();
    final SimpleStringProperty active = new SimpleStringProperty("Built-in colour & texture");
    final List<Path> opened = new ArrayList<>();

    HelpViewModel vm(Path data, FolderOpener opener) {
        return new HelpViewModel(new AppInfo("1.2.3", data, data.resolve("logs")), active, opener,
                UiExecutors.direct(), notes);
    }

    @Test
    void showLogsOpensTheLogsFolderWhereTheDesktopCan(@TempDir Path data) {
        HelpViewModel vm = vm(data, folder -> opened.add(folder));
        vm.showLogs();
        assertThat(opened).containsExactly(data.resolve("logs"));
        assertThat(Files.isDirectory(data.resolve("logs"))).isTrue(); // created so the file manager can open it
        assertThat(vm.logsPathToCopyProperty().get()).isNull();
        assertThat(notes.current()).isNull();
    }

    @Test
    void withoutADesktopThePathIsShownToCopy(@TempDir Path data) {
        HelpViewModel vm = vm(data, folder -> false);
        vm.showLogs();
        assertThat(vm.logsPathToCopyProperty().get()).isEqualTo(data.resolve("logs").toString());
        vm.logsPathShown();
        assertThat(vm.logsPathToCopyProperty().get()).isNull();
    }

    @Test
    void aFailingFileManagerGivesTheMessageAndThePath(@TempDir Path data) {
        HelpViewModel vm = vm(data, folder -> {
            throw new IOException("no handler for inode/directory");
        });
        vm.showLogs();
        assertThat(notes.current().level()).isEqualTo(Notifications.Level.ERROR);
        assertThat(notes.current().text()).contains(data.resolve("logs").toString());
        assertThat(vm.logsPathToCopyProperty().get()).isEqualTo(data.resolve("logs").toString());
    }

    @Test
    void aboutListsVersionDataFolderAndTheModelActiveNow(@TempDir Path data) {
        HelpViewModel vm = vm(data, folder -> true);
        assertThat(vm.about()).containsEntry("Version", "1.2.3")
                .containsEntry("Data folder", data.toString())
                .containsEntry("Active model", "Built-in colour & texture");
        active.set("CLIP ViT-B/32"); // switched in the Models tab
        assertThat(vm.about()).containsEntry("Active model", "CLIP ViT-B/32");
        assertThat(vm.about().keySet()).startsWith("Version", "Active model", "Data folder");
    }
}
