package io.ocular.search.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

import java.util.List;

/**
 * The optimiser step and the non-finite guards of {@link CombinerTrainer}: Adam (β = 0.9, 0.999) applied in place
 * to leaf tensors outside autograd, a check that every gradient is finite, and zeroing of gradients of a batch
 * that is skipped. (The same steps {@link SpqTrainer} keeps privately.)
 */
final class TensorSteps {
    private TensorSteps() {
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
            withoutGrad(() -> g.set(new NDIndex(":"), 0f));
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
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            r.run();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(true);
        }
    }
}
