package io.ocular.embed;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

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
}
