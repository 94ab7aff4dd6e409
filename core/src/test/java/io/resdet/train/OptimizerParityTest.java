package io.resdet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.resdet.nn.Module;
import io.resdet.nn.Param;
import io.resdet.testing.Oracle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Several steps of our SGD / AdamW / gradient clipping against torch.optim on the same tiny model and inputs:
 * {@code y = tanh(x Wᵀ + b)}, loss {@code sum(y · c)}, with W, b, x, c given by closed formulas both sides evaluate.
 */
class OptimizerParityTest {
    private static final int STEPS = 4;

    /** A two-tensor module: enough to test per-parameter state and a no-decay parameter ("b"). */
    static final class Tiny extends Module {
        final Param w, b;

        Tiny(NDManager m) {
            super(m);
            w = parameter("w", m.create(formula(12, 0.7, 0.1, true), new Shape(3, 4)));
            b = parameter("b", m.create(formula(3, 1.3, 0.0, false), new Shape(3)));
        }

        NDArray loss(int t) {
            NDArray x = manager.create(formula(20, 0.37, t, true), new Shape(5, 4));
            NDArray c = manager.create(formula(15, 0.11, 0.5 * t, false), new Shape(5, 3));
            return x.matMul(w.get().transpose()).add(b.get()).tanh().mul(c).sum();
        }
    }

    static float[] formula(int n, double a, double off, boolean sin) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) (sin ? Math.sin(a * i + off) : Math.cos(a * i + off));
        return out;
    }

    private static final String TORCH = """
            import sys, math, torch
            torch.set_printoptions(precision=10)
            def f(n, a, off, s):
                return torch.tensor([(math.sin if s else math.cos)(a * i + off) for i in range(n)], dtype=torch.float32)
            kind, steps, clip = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
            w = f(12, 0.7, 0.1, True).reshape(3, 4).requires_grad_()
            b = f(3, 1.3, 0.0, False).requires_grad_()
            if kind == 'sgd':
                opt = torch.optim.SGD([{'params': [w]}, {'params': [b], 'weight_decay': 0.0}], lr=0.1, momentum=0.9, weight_decay=1e-2)
            else:
                opt = torch.optim.AdamW([{'params': [w]}, {'params': [b], 'weight_decay': 0.0}], lr=0.05, weight_decay=0.1)
            for t in range(steps):
                x = f(20, 0.37, t, True).reshape(5, 4)
                c = f(15, 0.11, 0.5 * t, False).reshape(5, 3)
                opt.zero_grad()
                loss = (torch.tanh(x @ w.t() + b) * c).sum()
                loss.backward()
                if clip > 0:
                    torch.nn.utils.clip_grad_norm_([w, b], clip)
                opt.step()
                print(' '.join('%.9e' % v for v in torch.cat([w.detach().flatten(), b.detach()]).tolist()))
            """;

    @Test
    void sgdWithMomentumAndSelectiveDecayMatchesTorch() {
        check("sgd", 0, ps -> new Sgd(ps, 0.9, 1e-2, n -> !n.equals("b")), 0.1);
    }

    @Test
    void adamWMatchesTorch() {
        check("adamw", 0, ps -> new AdamW(ps, 0.9, 0.999, 1e-8, 0.1, n -> !n.equals("b")), 0.05);
    }

    @Test
    void clippingByGlobalNormMatchesTorch() {
        // 0.5 is well below the gradient norms here, so every step is clipped.
        check("sgd", 0.5, ps -> new Sgd(ps, 0.9, 1e-2, n -> !n.equals("b")), 0.1);
    }

    private void check(String kind, double clip, Function<Map<String, Param>, Optimizer> make, double lr) {
        String[] lines = Oracle.run(TORCH, kind, String.valueOf(STEPS), String.valueOf(clip)).strip().split("\n");
        assertEquals(STEPS, lines.length);
        Engine.getInstance();
        try (NDManager m = NDManager.newBaseManager()) {
            Tiny net = new Tiny(m);
            Optimizer opt = make.apply(net.namedParameters());
            for (int t = 0; t < STEPS; t++) {
                final int step = t;
                Trainer tr = new Trainer(net, opt, Schedules.constant(lr), 0).clipGradNorm(clip);
                tr.step(() -> net.loss(step));
                List<Float> ours = new ArrayList<>();
                for (float v : net.w.get().toFloatArray()) ours.add(v);
                for (float v : net.b.get().toFloatArray()) ours.add(v);
                String[] theirs = lines[t].split(" ");
                for (int i = 0; i < theirs.length; i++) {
                    assertEquals(Double.parseDouble(theirs[i]), ours.get(i), 1e-6, kind + " step " + (t + 1) + " element " + i);
                }
            }
        }
    }
}
