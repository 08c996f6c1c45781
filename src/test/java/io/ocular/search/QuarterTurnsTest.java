package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Random;

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

    /** The fast buffer path (packed RGB) gives the same pixels as the plain per-pixel definition, for every kind. */
    @Test
    void everyImageKindTurnsToThePixelsOfThePlainDefinition() {
        Random rnd = new Random(7);
        BufferedImage packed = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                packed.setRGB(x, y, rnd.nextInt());
            }
        }
        BufferedImage bgr = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(packed, 0, 0, null);
        BufferedImage big = new BufferedImage(9, 8, BufferedImage.TYPE_INT_RGB);
        big.getGraphics().drawImage(packed, 1, 2, null);
        BufferedImage sub = big.getSubimage(1, 2, 7, 5); // shares a larger buffer: must not be read as its own
        for (BufferedImage img : new BufferedImage[] {packed, bgr, sub}) {
            for (int t = 1; t < 4; t++) {
                BufferedImage out = QuarterTurns.rotate(img, t);
                assertThat(out.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 7; x++) {
                        int ox = t == 1 ? 4 - y : t == 2 ? 6 - x : y;
                        int oy = t == 1 ? x : t == 2 ? 4 - y : 6 - x;
                        assertThat(out.getRGB(ox, oy)).as("turn %d pixel %d,%d", t, x, y)
                                .isEqualTo(packed.getRGB(x, y));
                    }
                }
            }
        }
    }
}
