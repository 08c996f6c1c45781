package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

class QuarterTurnsTest {

    @Test
    void turnsClockwiseAndFourTurnsAreTheIdentity() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int v = 0;
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.setRGB(x, y, ++v * 1000);
            }
        }
        BufferedImage cw = QuarterTurns.rotate(img, 1);
        assertThat(cw.getWidth()).isEqualTo(2);
        assertThat(cw.getHeight()).isEqualTo(3);
        // the top-left pixel goes to the top-right corner when turned clockwise
        assertThat(cw.getRGB(1, 0) & 0xFFFFFF).isEqualTo(img.getRGB(0, 0) & 0xFFFFFF);
        // the bottom-left pixel goes to the top-left corner
        assertThat(cw.getRGB(0, 0) & 0xFFFFFF).isEqualTo(img.getRGB(0, 1) & 0xFFFFFF);
        BufferedImage back = QuarterTurns.rotate(QuarterTurns.rotate(QuarterTurns.rotate(cw, 1), 1), 1);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                assertThat(back.getRGB(x, y)).isEqualTo(img.getRGB(x, y));
            }
        }
        assertThat(QuarterTurns.rotate(img, 2).getRGB(0, 0)).isEqualTo(img.getRGB(2, 1));
        assertThat(QuarterTurns.rotate(img, 0)).isSameAs(img);
        assertThat(QuarterTurns.degrees(3)).isEqualTo(270);
    }
}
