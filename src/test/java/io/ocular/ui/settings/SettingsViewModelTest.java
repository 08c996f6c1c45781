package io.ocular.ui.settings;

import io.ocular.model.OcularException;
import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiLanguage;
import io.ocular.ui.common.UiSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsViewModelTest {
    @TempDir
    Path data;
    final UiSettings settings = UiSettings.inMemory();
    final Notifications notes = new Notifications();
    final List<Path> opened = new ArrayList<>();

    /** Instance search as the engine would answer: refused without the photo model. */
    final class FakeSwitch implements InstanceSearchSwitch {
        volatile boolean on;
        volatile boolean modelInstalled;

        @Override
        public boolean isOn() {
            return on;
        }

        @Override
        public void set(boolean value) {
            if (value && !modelInstalled) {
                throw new OcularException("Instance search needs the photo model (MobileNetV2): download it under"
                        + " Models.");
            }
            on = value;
        }
    }

    final FakeSwitch instance = new FakeSwitch();

    private SettingsViewModel vm() {
        return new SettingsViewModel(settings, new AppInfo("test", data, data.resolve("logs")), f -> {
            opened.add(f);
            return true;
        }, instance, UiExecutors.direct(), notes);
    }

    @Test
    void theLanguageIsSavedAtOnceAndTheUserIsToldItTakesEffectOnRestart() {
        SettingsViewModel vm = vm();
        assertThat(vm.languageProperty().get()).isEqualTo(UiLanguage.SYSTEM);
        vm.languageProperty().set(UiLanguage.KOREAN);
        assertThat(settings.get(UiLanguage.KEY)).contains("KOREAN");
        assertThat(notes.current().text()).isEqualTo("The new language takes effect when Ocular restarts.");
        assertThat(vm().languageProperty().get()).as("read back on the next start").isEqualTo(UiLanguage.KOREAN);
        assertThat(UiLanguage.KOREAN.locale(java.util.Locale.US)).isEqualTo(java.util.Locale.KOREAN);
        assertThat(UiLanguage.SYSTEM.locale(java.util.Locale.US)).isEqualTo(java.util.Locale.US);
        settings.put(UiLanguage.KEY, "Klingon");
        assertThat(UiLanguage.load(settings)).as("a value no version wrote").isEqualTo(UiLanguage.SYSTEM);
    }

    @Test
    void instanceSearchIsReadFromTheEngineAndARefusalSwitchesBackWithTheReason() {
        SettingsViewModel vm = vm();
        vm.refresh();
        assertThat(vm.instanceSearchProperty().get()).isFalse();

        vm.instanceSearchProperty().set(true);

        assertThat(vm.instanceSearchProperty().get()).isFalse();
        assertThat(instance.on).isFalse();
        assertThat(notes.current().text()).contains("needs the photo model");

        instance.modelInstalled = true;
        vm.instanceSearchProperty().set(true);
        assertThat(instance.on).isTrue();
        assertThat(notes.current().text()).startsWith("Instance search is on");
        SettingsViewModel again = vm();
        again.refresh();
        assertThat(again.instanceSearchProperty().get()).isTrue();
    }

    @Test
    void thumbnailSizeIsKeptWithinBoundsAndRemembered() {
        SettingsViewModel vm = vm();
        assertThat(vm.thumbnailSizeProperty().get()).isEqualTo(SettingsViewModel.DEFAULT_THUMBNAIL);
        vm.thumbnailSizeProperty().set(240);
        assertThat(vm().thumbnailSizeProperty().get()).isEqualTo(240);
        vm.thumbnailSizeProperty().set(5000);
        assertThat(vm.thumbnailSizeProperty().get()).isEqualTo(SettingsViewModel.MAX_THUMBNAIL);
        settings.put(SettingsViewModel.THUMBNAIL_SIZE, "huge");
        assertThat(vm().thumbnailSizeProperty().get()).isEqualTo(SettingsViewModel.DEFAULT_THUMBNAIL);
    }

    @Test
    void theDataFolderIsMeasuredAndFoldersOpen() throws Exception {
        Files.write(data.resolve("catalog.db"), new byte[2_500_000]);
        Files.createDirectories(data.resolve("logs"));
        Files.write(data.resolve("logs/ocular.log"), new byte[500]);
        SettingsViewModel vm = vm();

        vm.refresh();

        assertThat(vm.dataFolderSizeProperty().get()).isEqualTo("2.5 MB in 2 files");
        assertThat(vm.dataFolder()).isEqualTo(data);
        vm.openLogsFolder();
        vm.openDataFolder();
        assertThat(opened).containsExactly(data.resolve("logs"), data);
        assertThat(SettingsViewModel.measure(data.resolve("missing"), io.ocular.ui.common.Messages.english())).isEqualTo("empty (not created yet)");
    }
}
