package io.ocular.testing;

import io.ocular.embed.ImageEncoder;
import io.ocular.model.OcularException;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic {@link ImageEncoder}: an 8-dimensional colour-statistics vector (mean and standard
 * deviation of R, G, B, aspect ratio, a constant), L2-normalised. Records every batch it receives so tests
 * can assert real batching, and can be held (to pause mid-run) or made to fail.
 */
public final class FakeImageEncoder implements ImageEncoder {
    public static final int DIMENSION = 8;

    private final String modelId;
    private final int shortSide;
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final AtomicInteger encoded = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile boolean broken;
    private volatile long delayMillis;
    private final CountDownLatch called = new CountDownLatch(1);

    public FakeImageEncoder() {
        this("fake-colour-v1", 32);
    }

    public FakeImageEncoder(String modelId, int preferredShortSide) {
        this.modelId = modelId;
        this.shortSide = preferredShortSide;
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public int preferredShortSide() {
        return shortSide;
    }

    /** Sizes of the batches received, in order. */
    public List<Integer> batchSizes() {
        return List.copyOf(batchSizes);
    }

    /** Number of images embedded so far. */
    public int encodedCount() {
        return encoded.get();
    }

    /** Blocks every following encode call until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** Waits until encode has been called at least once. */
    public boolean awaitFirstCall(java.time.Duration timeout) throws InterruptedException {
        return called.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Makes every encode call take this long (to give a kill -9 something to interrupt). */
    public void setDelay(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    /** Makes every encode call fail (a broken model). */
    public void setBroken(boolean broken) {
        this.broken = broken;
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        called.countDown();
        try {
            gate.await();
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OcularException("interrupted");
        }
        {
            if (broken) {
                throw new OcularException("the fake model is broken");
            }
            batchSizes.add(images.size());
            List<float[]> out = new ArrayList<>();
            for (BufferedImage img : images) {
                out.add(vector(img));
            }
            encoded.addAndGet(images.size());
            return out.toArray(new float[0][]);
        }
    }

    /** The vector this encoder produces for an image (tests compare against it). */
    public static float[] vector(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        double[] sum = new double[3];
        double[] sq = new double[3];
        for (int p : px) {
            int[] c = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
            for (int k = 0; k < 3; k++) {
                sum[k] += c[k] / 255.0;
                sq[k] += (c[k] / 255.0) * (c[k] / 255.0);
            }
        }
        int n = px.length;
        float[] v = new float[DIMENSION];
        for (int k = 0; k < 3; k++) {
            double mean = sum[k] / n;
            v[k] = (float) mean;
            v[3 + k] = (float) Math.sqrt(Math.max(0, sq[k] / n - mean * mean));
        }
        v[6] = (float) w / (w + h);
        v[7] = 0.1f;
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    @Override
    public void close() {
        // nothing held
    }
}
