package io.ocular.ui.models;

import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.fakes.FakeModelManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModelsViewModelTest {
    final FakeModelManager models = new FakeModelManager();
    final UiSettings settings = UiSettings.inMemory();
    final Notifications notes = new Notifications();
    final ModelsViewModel vm = new ModelsViewModel(models, settings, UiExecutors.direct(), notes);

    @Test
    void firstRunOffersClipWithSizeAndWhatItEnables() {
        vm.refresh();
        assertThat(vm.activeNameProperty().get()).isEqualTo("Built-in colour & texture");
        assertThat(vm.offerProperty().get()).contains("Get CLIP ViT-B/32 (338 MB download) to search by words");
        assertThat(vm.textSearchAvailableProperty().get()).isFalse();
    }

    @Test
    void theFirstRunOfferIsInKoreanInAKoreanWindow() {
        ModelsViewModel ko = new ModelsViewModel(models, settings, UiExecutors.direct(), notes,
                io.ocular.ui.common.Messages.of(java.util.Locale.KOREAN));
        ko.refresh();
        assertThat(ko.offerProperty().get())
                .isEqualTo("Ocular는 지금 내장된 색상·질감 분석으로 작동합니다. CLIP ViT-B/32(338MB)을(를) 내려받으면 다음 기능을"
                        + " 쓸 수 있습니다: 단어로 검색하고 조합 검색하기(“이런 사진인데 밤에”).");
        assertThat(ko.photoOfferProperty().get()).isEqualTo("사진 모델, 3.7MB — 비슷한 사진 검색이 더 정확해집니다");
    }

    @Test
    void downloadReportsProgressThenActivates() {
        vm.refresh();
        List<Double> progress = new ArrayList<>();
        vm.downloadProgressProperty().addListener((o, a, b) -> progress.add(b.doubleValue()));
        vm.acceptOffer();
        assertThat(progress).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0, -1.0);
        assertThat(vm.offerProperty().get()).isNull();
        vm.activate(vm.entries().get(1));
        assertThat(vm.activeNameProperty().get()).isEqualTo("CLIP ViT-B/32");
        assertThat(vm.textSearchAvailableProperty().get()).isTrue();
    }

    @Test
    void noNetworkSaysSoAndPointsAtImport() {
        models.network = false;
        vm.refresh();
        vm.acceptOffer();
        assertThat(vm.offlineProperty().get()).isTrue();
        assertThat(notes.current().text()).startsWith("No network connection").contains("Import");
        assertThat(vm.downloadingProperty().get()).isNull();
        vm.importModel(java.nio.file.Path.of("/tmp/clip"));
        assertThat(vm.entries().get(1).installed()).isTrue();
    }

    @Test
    void dismissedOfferStaysDismissed() {
        vm.refresh();
        vm.dismissOffer();
        ModelsViewModel again = new ModelsViewModel(models, settings, UiExecutors.direct(), notes);
        again.refresh();
        assertThat(again.offerProperty().get()).isNull();
    }

    @Test
    void firstRunOffersThePhotoModelAndOneClickDownloadsAndActivatesIt() {
        vm.refresh();
        assertThat(vm.photoOfferProperty().get()).isEqualTo("Photo model, 3.7 MB — better similar-photo search");
        List<Double> progress = new ArrayList<>();
        vm.downloadProgressProperty().addListener((o, a, b) -> progress.add(b.doubleValue()));

        vm.acceptPhotoOffer();

        assertThat(progress).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0, -1.0);
        assertThat(vm.activeNameProperty().get()).isEqualTo("Photo model: MobileNetV2");
        assertThat(vm.photoOfferProperty().get()).isNull();
        assertThat(notes.current().text()).contains("Photo model: MobileNetV2 is active");
        // the CLIP offer stays, for words; the built-in descriptor is no longer what "works now"
        assertThat(vm.offerProperty().get()).isEqualTo("Get CLIP ViT-B/32 (338 MB download) to search by words and"
                + " compose queries.");
    }

    @Test
    void thePhotoOfferComesBackAfterAFailedDownloadAndStaysAwayOnceDismissed() {
        models.network = false;
        vm.refresh();
        vm.acceptPhotoOffer();
        assertThat(vm.offlineProperty().get()).isTrue();
        assertThat(vm.photoOfferProperty().get()).startsWith("Photo model, 3.7 MB");
        assertThat(vm.activeNameProperty().get()).isEqualTo("Built-in colour & texture");

        vm.dismissPhotoOffer();
        ModelsViewModel again = new ModelsViewModel(models, settings, UiExecutors.direct(), notes);
        again.refresh();
        assertThat(again.photoOfferProperty().get()).isNull();
        assertThat(again.offerProperty().get()).as("the CLIP offer is dismissed separately").isNotNull();
    }

    @Test
    void noPhotoOfferWhileAnotherModelIsActive() {
        vm.refresh();
        vm.acceptOffer();
        vm.activate(vm.entries().get(1));
        assertThat(vm.activeNameProperty().get()).isEqualTo("CLIP ViT-B/32");
        assertThat(vm.photoOfferProperty().get()).isNull();
    }

    @Test
    void sizesUnderTenMegabytesKeepOneDecimal() {
        assertThat(vm.humanSize(3_655_033L)).isEqualTo("3.7 MB");
        ModelsViewModel ko = new ModelsViewModel(models, settings, UiExecutors.direct(), notes,
                io.ocular.ui.common.Messages.of(java.util.Locale.KOREAN));
        assertThat(ko.humanSize(1_234_000_000L)).isEqualTo("1.2GB");
        assertThat(ko.humanSize(0)).isEqualTo("내장");
        assertThat(vm.humanSize(338_000_000L)).isEqualTo("338 MB");
        assertThat(vm.humanSize(1_200_000_000L)).isEqualTo("1.2 GB");
    }
}
