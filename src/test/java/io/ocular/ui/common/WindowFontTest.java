package io.ocular.ui.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class WindowFontTest {
    @Test
    void koreanTakesTheFirstInstalledKoreanFontAndFallsBackToSystemWithoutOne() {
        assertThat(WindowFont.familyFor(Locale.KOREA, List.of("DejaVu Sans", "Noto Sans CJK KR", "NanumGothic")))
                .contains("Noto Sans CJK KR");
        assertThat(WindowFont.familyFor(Locale.KOREAN, List.of("DejaVu Sans", "NanumGothic"))).contains("NanumGothic");
        assertThat(WindowFont.familyFor(Locale.KOREAN, List.of("Malgun Gothic", "Arial"))).contains("Malgun Gothic");
        assertThat(WindowFont.familyFor(Locale.KOREAN, List.of("DejaVu Sans"))).as("no Korean font: System").isEmpty();
        assertThat(WindowFont.familyFor(Locale.ENGLISH, List.of("Noto Sans CJK KR"))).as("English keeps System")
                .isEmpty();
        assertThat(WindowFont.familyFor(Locale.KOREAN, List.of("DejaVu Sans", "Some Gothic KR"))).contains("Some Gothic KR");
        assertThat(WindowFont.canShow(Locale.KOREAN, List.of("DejaVu Sans"))).as("boxes: show English instead").isFalse();
        assertThat(WindowFont.canShow(Locale.KOREAN, List.of("NanumGothic"))).isTrue();
        assertThat(WindowFont.canShow(Locale.ENGLISH, List.of("DejaVu Sans"))).isTrue();
    }
}
