package io.ocular.embed;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageResamplerTest {

    @Test
    void shrinksToTheShorterSideKeepingTheAspectAndColour() {
        BufferedImage photo = new BufferedImage(400, 533, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 533; y++) {
            for (int x = 0; x < 400; x++) {
                photo.setRGB(x, y, x < 200 ? 0xC02010 : 0x1040A0);
            }
        }
        BufferedImage small = ImageResampler.shrunk(photo, 160);
        assertThat(small.getWidth()).isEqualTo(160);
        assertThat(small.getHeight()).isEqualTo(213);
        assertThat(small.getRGB(20, 100) & 0xFFFFFF).isEqualTo(0xC02010);
        assertThat(small.getRGB(140, 100) & 0xFFFFFF).isEqualTo(0x1040A0);
        BufferedImage wide = ImageResampler.shrunk(new BufferedImage(900, 300, BufferedImage.TYPE_INT_RGB), 128);
        assertThat(wide.getWidth()).isEqualTo(384);
        assertThat(wide.getHeight()).isEqualTo(128);
    }

    @Test
    void leavesImagesThatAreNoLargerAlone() {
        BufferedImage tiny = new BufferedImage(100, 150, BufferedImage.TYPE_INT_RGB);
        assertThat(ImageResampler.shrunk(tiny, 160)).isSameAs(tiny);
        assertThat(ImageResampler.shrunk(tiny, 100)).isSameAs(tiny);
    }

    @Test
    void aPackedImageAlreadyOfTheSizeIsReadAsItIsAndOthersAreDrawn() {
        BufferedImage img = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                img.setRGB(x, y, (x * 37 + y * 91) * 0x010203);
            }
        }
        int[] expected = new int[35];
        for (int i = 0; i < 35; i++) {
            expected[i] = img.getRGB(i % 7, i / 7) & 0xFFFFFF;
        }
        assertThat(ImageResampler.resizeToRgb(img, 7, 5)).containsExactly(expected);
        BufferedImage big = new BufferedImage(9, 8, BufferedImage.TYPE_INT_RGB);
        big.getGraphics().drawImage(img, 1, 2, null);
        assertThat(ImageResampler.ownPixels(big.getSubimage(1, 2, 7, 5))).isNull();
        assertThat(ImageResampler.resizeToRgb(big.getSubimage(1, 2, 7, 5), 7, 5)).containsExactly(expected);
        BufferedImage bgr = new BufferedImage(7, 5, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(img, 0, 0, null);
        assertThat(ImageResampler.resizeToRgb(bgr, 7, 5)).containsExactly(expected);
        // turned pixels, as a packed image: four turns are the identity, sizes swap on odd turns
        int[] t1 = ImageResampler.turned(expected, 7, 5, 1);
        assertThat(ImageResampler.packed(t1, 5, 7).getRGB(4, 0) & 0xFFFFFF).isEqualTo(expected[0]);
        int[] back = ImageResampler.turned(ImageResampler.turned(ImageResampler.turned(t1, 5, 7, 1), 7, 5, 1), 5, 7, 1);
        assertThat(back).containsExactly(expected);
        assertThatThrownBy(() -> ImageResampler.turned(expected, 6, 5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
