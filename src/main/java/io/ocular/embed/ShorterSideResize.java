package io.ocular.embed;

/**
 * The input size rule of CNN encoders: the whole image (no crop), scaled so its shorter side becomes
 * {@code shortSide}, both sides rounded to a multiple of {@code multipleOf} (the network's stride); when
 * the longer side would exceed {@code maxLongSide} (panoramas), the image is scaled down further so the
 * longer side fits, keeping the aspect ratio.
 */
record ShorterSideResize(int shortSide, int maxLongSide, int multipleOf) {

    ShorterSideResize {
        if (multipleOf <= 0 || shortSide < multipleOf || maxLongSide < shortSide) {
            throw new IllegalArgumentException("bad resize rule " + shortSide + "/" + maxLongSide + "/" + multipleOf);
        }
    }

    static ShorterSideResize of(ModelManifest.Preprocessing p) {
        return new ShorterSideResize(p.shortSide(), p.maxLongSide(), p.multipleOf());
    }

    /** Network input size {width, height} for an image of {@code width x height} pixels. */
    int[] targetSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image " + width + "x" + height);
        }
        double shorter = Math.min(width, height);
        double longer = Math.max(width, height);
        double scale = shortSide / shorter;
        if (longer * scale > maxLongSide) {
            scale = maxLongSide / longer;
        }
        int w = round(width * scale);
        int h = round(height * scale);
        return new int[] {w, h};
    }

    private int round(double side) {
        int r = (int) Math.round(side / multipleOf) * multipleOf;
        return Math.max(multipleOf, Math.min(r, maxLongSide));
    }
}
