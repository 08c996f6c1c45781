package io.ocular.index;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures decoding of big photos (HEIC from libheif, JPEG) at working size: time per decode, peak Java heap
 * and peak process memory (VmHWM, Linux). Not a test (timings are not asserted); run by hand, e.g.
 * {@code java -Xmx128m -cp target/ocular.jar:target/test-classes io.ocular.index.DecodeMemoryCheck big.heic 224 5}.
 */
public final class DecodeMemoryCheck {
    private DecodeMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int side = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        ImageDecoder decoder = new ImageDecoder();
        System.out.println("decoder: " + decoder.heifSupport() + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            DecodedImage d = decoder.decode(file, side);
            System.out.printf("%s: %d x %d -> %d x %d in %.0f ms%n", file.getFileName(), d.width(), d.height(),
                    d.image().getWidth(), d.image().getHeight(), (System.nanoTime() - t) / 1e6);
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
        System.out.printf("peak heap (sum of pool peaks) %d MB, process %s%n", peakHeap >> 20, hwm.replaceAll("\\s+", " "));
    }
}
