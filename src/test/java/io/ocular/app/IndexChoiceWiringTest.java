package io.ocular.app;

import io.ocular.engine.AppPaths;
import io.ocular.engine.Engine;
import io.ocular.search.IndexChoice;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.settings.SettingsViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings' index choice over the real engine: applied at once, kept in the catalog, used at the next start. */
class IndexChoiceWiringTest {

    @Test
    void theChoiceReachesTheEngineAndOutlivesARestart(@TempDir Path tmp) {
        AppPaths paths = AppPaths.under(tmp.resolve("data"));
        try (Engine ocular = Engine.open(paths, null)) {
            SettingsViewModel vm = new SettingsViewModel(UiSettings.inMemory(), AppInfo.unknown(), f -> false,
                    InstanceSearchSwitch.unavailable(), DesktopLauncher.indexSettings(ocular), UiExecutors.direct(),
                    new Notifications());
            vm.refresh();
            assertThat(vm.indexChoiceProperty().get()).isEqualTo(IndexChoice.AUTO);
            assertThat(vm.indexInUseProperty().get()).isEqualTo("exact");

            vm.indexChoiceProperty().set(IndexChoice.COMPACT);
            assertThat(ocular.indexChoice()).isEqualTo(IndexChoice.COMPACT);
            assertThat(vm.indexInUseProperty().get()).isEqualTo("exact (compact codes need at least 256 photos)");

            vm.indexChoiceProperty().set(IndexChoice.EXACT);
            assertThat(ocular.indexDescription()).isEqualTo("exact (chosen in Settings)");
        }
        try (Engine again = Engine.open(paths, null)) {
            assertThat(again.indexChoice()).isEqualTo(IndexChoice.EXACT);
            assertThat(again.indexDescription()).isEqualTo("exact (chosen in Settings)");
        }
    }
}
