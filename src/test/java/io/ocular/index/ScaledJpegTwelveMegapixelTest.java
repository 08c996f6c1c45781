package io.ocular.index;

import io.ocular.index.JpegVariants.Layout;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScaledJpegDecoder} on phone-sized JPEGs: two shared holiday photos blown up to 4032 x 3024 (12 MP) and
 * re-encoded at quality 90 as 4:2:0, 4:2:0 with restart markers, 4:4:4 and greyscale; decoded at 1/8 and 1/4
 * and compared with ImageIO's full decode area-averaged to the same size ({@code mvn -B test -Pslow
 * -Dtest=ScaledJpegTwelveMegapixelTest}; about a minute: each reference is a full 12 MP decode).
 */
@Tag("slow")
class ScaledJpegTwelveMegapixelTest {
    @Test
    void twelveMegapixelPhotosMatchTheAreaAveragedFullDecode() throws IOException {
        Path images = SharedData.dataset("holidays-dev/images");
        for (String name : new String[]{"100000.jpg", "100300.jpg"}) {
            BufferedImage big = JpegVariants.scaled(ImageIO.read(images.resolve(name).toFile()), 4032, 3024);
            for (Layout layout : new Layout[]{Layout.S420, Layout.S444, Layout.GREY}) {
                for (int restart : layout == Layout.S420 ? new int[]{0, 16} : new int[]{0}) {
                    byte[] jpeg = JpegVariants.write(big, layout, 0.9f, restart);
                    ScaledJpegDecoderTest.assertLayout(jpeg, layout, restart);
                    for (int d : new int[]{8, 4}) {
                        double mae = ScaledJpegDecoderTest.mae(jpeg, d);
                        System.out.printf("%s %s restart %d 1/%d: MAE %.3f%n", name, layout, restart, d, mae);
                        assertThat(mae).as("%s %s restart %d 1/%d", name, layout, restart, d)
                                .isLessThan(ScaledJpegDecoderTest.MAX_MAE);
                    }
                }
            }
        }
    }
}
