package io.ocular.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;

import java.util.List;
import java.util.Random;

/**
 * The optimiser step and the non-finite guards shared by {@link SpqTrainer} and {@link CombinerTrainer}: Adam
 * (β = 0.9, 0.999) applied in place to leaf tensors outside autograd, a check that every gradient is finite,
 * zeroing of gradients of a batch that is skipped, and the set-up and shuffling both training loops share.
 */
final class TensorSteps {
    private TensorSteps() {
    }

    /**
     * PyTorch runs its CPU operators on one thread for training. Measured on the 2 shared cores (load ≈ 28):
     * the map-head unit test took 69 s with PyTorch's default (one OpenMP thread per core) and 5 s with one —
     * the default's threads spin-wait for each other when the cores are busy with other work, and a background
     * trainer always shares its cores (indexing, the window). Affects this process's PyTorch only.
     */
    static void singleThreaded() {
        if (JniUtils.getNumThreads() != 1) {
            JniUtils.setNumThreads(1);
        }
    }

    /** Marks every parameter as requiring a gradient and adds a zero first and second moment for each. */
    static void prepareAdam(NDManager manager, List<NDArray> params, List<NDArray> m1, List<NDArray> m2) {
        for (NDArray p : params) {
            p.setRequiresGradient(true);
            m1.add(manager.zeros(p.getShape()));
            m2.add(manager.zeros(p.getShape()));
        }
    }

    /** {@code 0, 1, …, n-1}: the visiting order before the first shuffle. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static boolean finiteGradients(List<NDArray> params) {
        for (NDArray p : params) {
            try (NDArray bad = p.getGradient().isInfinite().logicalOr(p.getGradient().isNaN())) {
                if (bad.any().getBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    static void zeroGradients(List<NDArray> params) {
        for (NDArray p : params) {
            NDArray g = p.getGradient();
            withoutGrad(() -> g.set(new NDIndex(":"), 0f));   // in place in the gradient's own storage
        }
    }

    static void adam(List<NDArray> params, List<NDArray> m1, List<NDArray> m2, int step, float lr) {
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float c1 = (float) (1 - Math.pow(beta1, step));
        float c2 = (float) (1 - Math.pow(beta2, step));
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = p.getGradient();
            try (NDArray gd = g.duplicate().stopGradient()) {
                m1.get(i).muli(beta1).addi(gd.mul(1 - beta1));
                m2.get(i).muli(beta2).addi(gd.mul(gd).mul(1 - beta2));
            }
            NDArray update = m1.get(i).div(c1).div(m2.get(i).div(c2).sqrt().add(1e-8f)).mul(lr);
            withoutGrad(() -> p.subi(update));
            g.subi(g);
        }
    }

    private static void withoutGrad(Runnable r) {
        // In-place updates of leaf tensors must not be recorded by autograd.
        JniUtils.setGradMode(false);
        try {
            r.run();
        } finally {
            JniUtils.setGradMode(true);
        }
    }
}
