package io.ocular.search.local;

import java.util.SplittableRandom;

/**
 * RANSAC for a 2-D affine transform {@code dst = A src + t} from point correspondences: minimal samples of 3,
 * a deterministic seed, the adaptive iteration count {@code log(1-p) / log(1-w^3)} (capped), rejection of
 * degenerate samples (near-collinear points) and of implausible transforms (reflection, extreme scale or
 * shear), then a least-squares refit on the inliers. Hand-written: no maintained Java library offers RANSAC
 * with these checks (BoofCV does, but is a large dependency for ~150 lines).
 */
public final class AffineRansac {

    public record Config(double threshold, int maxIterations, double confidence, double maxScale,
                         double maxAnisotropy, long seed) {
        /** Threshold is in the caller's units (normalised coordinates: a fraction of the longer image side). */
        public static Config defaults() {
            return new Config(0.03, 1000, 0.999, 6.0, 4.0, 42L);
        }
    }

    /**
     * @param affine {a, b, c, d, tx, ty}: {@code u = a x + b y + tx}, {@code v = c x + d y + ty}; null if none
     */
    public record Result(double[] affine, boolean[] inliers, int inlierCount, int iterations) {
        static Result none(int n) {
            return new Result(null, new boolean[n], 0, 0);
        }
    }

    private final Config config;

    public AffineRansac(Config config) {
        this.config = config;
    }

    /** Points {@code (sx[i], sy[i]) -> (dx[i], dy[i])}. Never throws on degenerate input; returns 0 inliers. */
    public Result estimate(float[] sx, float[] sy, float[] dx, float[] dy) {
        int n = sx.length;
        if (n < 3) {
            return Result.none(n);
        }
        SplittableRandom rnd = new SplittableRandom(config.seed());
        double[] bestModel = null;
        int bestCount = 0;
        long needed = config.maxIterations();
        int it = 0;
        double[] model = new double[6];
        for (; it < needed && it < config.maxIterations(); it++) {
            int i = rnd.nextInt(n);
            int j = rnd.nextInt(n - 1);
            if (j >= i) {
                j++;
            }
            int k = rnd.nextInt(n - 2);
            int lo = Math.min(i, j);
            int hi = Math.max(i, j);
            if (k >= lo) {
                k++;
            }
            if (k >= hi) {
                k++;
            }
            if (!solveExact(sx, sy, dx, dy, i, j, k, model) || !plausible(model)) {
                continue;
            }
            int count = countInliers(model, sx, sy, dx, dy, null);
            if (count > bestCount) {
                bestCount = count;
                bestModel = model.clone();
                double w = count / (double) n;
                double denom = Math.log(1 - w * w * w);
                needed = denom < 0 ? (long) Math.ceil(Math.log(1 - config.confidence()) / denom) : config.maxIterations();
            }
        }
        if (bestModel == null || bestCount < 3) {
            return new Result(null, new boolean[n], 0, it);
        }
        boolean[] inl = new boolean[n];
        countInliers(bestModel, sx, sy, dx, dy, inl);
        // least-squares refit on the inliers, kept only if it does not lose support
        for (int round = 0; round < 2; round++) {
            double[] refit = leastSquares(sx, sy, dx, dy, inl);
            if (refit == null || !plausible(refit)) {
                break;
            }
            boolean[] refitInl = new boolean[n];
            int c = countInliers(refit, sx, sy, dx, dy, refitInl);
            if (c < bestCount) {
                break;
            }
            bestCount = c;
            bestModel = refit;
            inl = refitInl;
        }
        return new Result(bestModel, inl, bestCount, it);
    }

    private int countInliers(double[] m, float[] sx, float[] sy, float[] dx, float[] dy, boolean[] out) {
        double t2 = config.threshold() * config.threshold();
        int c = 0;
        for (int i = 0; i < sx.length; i++) {
            double u = m[0] * sx[i] + m[1] * sy[i] + m[4] - dx[i];
            double v = m[2] * sx[i] + m[3] * sy[i] + m[5] - dy[i];
            boolean in = u * u + v * v <= t2;
            if (in) {
                c++;
            }
            if (out != null) {
                out[i] = in;
            }
        }
        return c;
    }

    /** No reflection, scale within [1/maxScale, maxScale], singular-value ratio under maxAnisotropy. */
    boolean plausible(double[] m) {
        double det = m[0] * m[3] - m[1] * m[2];
        if (!(det > 0) || !Double.isFinite(det)) {
            return false;
        }
        double scale = Math.sqrt(det);
        if (scale > config.maxScale() || scale < 1 / config.maxScale()) {
            return false;
        }
        // singular values of the 2x2 linear part
        double s = m[0] * m[0] + m[1] * m[1] + m[2] * m[2] + m[3] * m[3];
        double disc = Math.sqrt(Math.max(0, s * s - 4 * det * det));
        double s1 = Math.sqrt((s + disc) / 2);
        double s2 = Math.sqrt(Math.max(1e-18, (s - disc) / 2));
        return s1 / s2 <= config.maxAnisotropy();
    }

    /** Exact affine through three correspondences; false when the source triangle is (near) degenerate. */
    static boolean solveExact(float[] sx, float[] sy, float[] dx, float[] dy, int i, int j, int k, double[] out) {
        double x1 = sx[i], y1 = sy[i], x2 = sx[j], y2 = sy[j], x3 = sx[k], y3 = sy[k];
        double det = x1 * (y2 - y3) - y1 * (x2 - x3) + (x2 * y3 - x3 * y2);
        double span = Math.max(Math.max(Math.abs(x2 - x1), Math.abs(y2 - y1)), Math.max(Math.abs(x3 - x1), Math.abs(y3 - y1)));
        if (!(Math.abs(det) > 1e-3 * span * span) || span == 0) {
            return false; // collinear or coincident points: the transform is not determined
        }
        double[] ab = solve3(x1, y1, x2, y2, x3, y3, det, dx[i], dx[j], dx[k]);
        double[] cd = solve3(x1, y1, x2, y2, x3, y3, det, dy[i], dy[j], dy[k]);
        // also reject a degenerate destination triangle (it would give a singular A)
        double ddet = dx[i] * (dy[j] - dy[k]) - dy[i] * (dx[j] - dx[k]) + (dx[j] * dy[k] - dx[k] * dy[j]);
        double dspan = Math.max(Math.max(Math.abs(dx[j] - dx[i]), Math.abs(dy[j] - dy[i])),
                Math.max(Math.abs(dx[k] - dx[i]), Math.abs(dy[k] - dy[i])));
        if (!(Math.abs(ddet) > 1e-3 * dspan * dspan) || dspan == 0) {
            return false;
        }
        out[0] = ab[0];
        out[1] = ab[1];
        out[4] = ab[2];
        out[2] = cd[0];
        out[3] = cd[1];
        out[5] = cd[2];
        return true;
    }

    /** Cramer's rule for [x y 1] p = r over three rows. */
    private static double[] solve3(double x1, double y1, double x2, double y2, double x3, double y3, double det,
                                   double r1, double r2, double r3) {
        double p = (r1 * (y2 - y3) - y1 * (r2 - r3) + (r2 * y3 - r3 * y2)) / det;
        double q = (x1 * (r2 - r3) - r1 * (x2 - x3) + (x2 * r3 - x3 * r2)) / det;
        double c = (x1 * (y2 * r3 - y3 * r2) - y1 * (x2 * r3 - x3 * r2) + r1 * (x2 * y3 - x3 * y2)) / det;
        return new double[]{p, q, c};
    }

    /** Least squares over the inliers via the 3x3 normal equations; null when ill-conditioned. */
    static double[] leastSquares(float[] sx, float[] sy, float[] dx, float[] dy, boolean[] inl) {
        double sxx = 0, sxy = 0, syy = 0, sx1 = 0, sy1 = 0, n = 0;
        double xu = 0, yu = 0, u1 = 0, xv = 0, yv = 0, v1 = 0;
        for (int i = 0; i < sx.length; i++) {
            if (!inl[i]) {
                continue;
            }
            double x = sx[i], y = sy[i];
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
            sx1 += x;
            sy1 += y;
            n++;
            xu += x * dx[i];
            yu += y * dx[i];
            u1 += dx[i];
            xv += x * dy[i];
            yv += y * dy[i];
            v1 += dy[i];
        }
        // M = [[sxx sxy sx1][sxy syy sy1][sx1 sy1 n]]
        double det = sxx * (syy * n - sy1 * sy1) - sxy * (sxy * n - sy1 * sx1) + sx1 * (sxy * sy1 - syy * sx1);
        if (!(Math.abs(det) > 1e-12)) {
            return null;
        }
        double[] abt = cramer(sxx, sxy, sx1, syy, sy1, n, det, xu, yu, u1);
        double[] cdt = cramer(sxx, sxy, sx1, syy, sy1, n, det, xv, yv, v1);
        return new double[]{abt[0], abt[1], cdt[0], cdt[1], abt[2], cdt[2]};
    }

    private static double[] cramer(double a, double b, double c, double e, double f, double i, double det,
                                   double r1, double r2, double r3) {
        // symmetric matrix [[a b c][b e f][c f i]]
        double x = (r1 * (e * i - f * f) - b * (r2 * i - f * r3) + c * (r2 * f - e * r3)) / det;
        double y = (a * (r2 * i - f * r3) - r1 * (b * i - f * c) + c * (b * r3 - r2 * c)) / det;
        double z = (a * (e * r3 - r2 * f) - b * (b * r3 - r2 * c) + r1 * (b * f - e * c)) / det;
        return new double[]{x, y, z};
    }
}
