package io.ocular.ui.common;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The status line's short words for the engine's index line. */
class IndexSettingsShortNameTest {
    private final Messages en = Messages.english();

    @Test
    void eachIndexKindHasItsWords() {
        assertThat(IndexSettings.shortName("exact", en)).isEqualTo("exact search");
        assertThat(IndexSettings.shortName("exact (compact codes being prepared in the background)", en))
                .isEqualTo("exact search (compact index being prepared)");
        assertThat(IndexSettings.shortName("ivfpq (64 B/photo, nlist 256, nprobe 16, rerank 200; built)", en))
                .isEqualTo("compact index");
        assertThat(IndexSettings.shortName("spq (trained on your photos, self-check +0.040 over PQ: 0.640 vs 0.600 on"
                + " 120 held-out photos; 8 B/photo, rerank 200; loaded)", en))
                .isEqualTo("compact codes trained on your photos");
        assertThat(IndexSettings.shortName("spq (...)", Messages.of(Locale.KOREAN))).isEqualTo("내 사진으로 학습한 압축 코드");
    }
}
