package io.resdet.train;

import io.resdet.testing.Oracle;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our schedules against torch.optim.lr_scheduler stepped once per iteration, and the ResNet-110 warm-up rule. */
class SchedulesTest {
    private static final int N = 40;
    private static final String TORCH = """
            import torch
            def run(make):
                p = torch.zeros(1, requires_grad=True)
                opt = torch.optim.SGD([p], lr=0.1)
                s = make(opt)
                out = []
                for _ in range(%d):
                    out.append(opt.param_groups[0]['lr'])
                    opt.step(); s.step()
                return out
            L = torch.optim.lr_scheduler
            rows = [run(lambda o: L.MultiStepLR(o, milestones=[10, 25], gamma=0.1)),
                    run(lambda o: L.CosineAnnealingLR(o, T_max=30, eta_min=0.001)),
                    run(lambda o: L.LinearLR(o, start_factor=0.001, total_iters=8))]
            for r in rows: print(' '.join('%%.12e' %% v for v in r))
            """.formatted(N);

    @Test
    void matchTorchSchedulers() {
        String[] rows = Oracle.run(TORCH).strip().split("\n");
        LrSchedule[] ours = {
                Schedules.multiStep(0.1, new long[] {25, 10}, 0.1),
                Schedules.cosine(0.1, 30, 0.001),
                Schedules.linearWarmup(0.001, 8, Schedules.constant(0.1)),
        };
        for (int k = 0; k < ours.length; k++) {
            String[] v = rows[k].split(" ");
            for (int i = 0; i < N; i++) {
                assertEquals(Double.parseDouble(v[i]), ours[k].lr(i), 1e-9, "schedule " + k + " iteration " + i);
            }
        }
    }

    @Test
    void resnet110WarmupSwitchesOnErrorOrAfterMaxIterations() {
        LrSchedule s = Schedules.errorGatedWarmup(0.01, 0.8, 400, Schedules.constant(0.1));
        assertEquals(0.01, s.lr(0));
        s.observe(0, 0.85);
        assertEquals(0.01, s.lr(1));
        s.observe(1, 0.79);
        assertEquals(0.1, s.lr(2));
        s.observe(2, 0.95); // once switched, it stays switched
        assertEquals(0.1, s.lr(3));
        assertEquals(2L, s.state().get("warmup_switched_at"));

        LrSchedule never = Schedules.errorGatedWarmup(0.01, 0.8, 400, Schedules.constant(0.1));
        for (int i = 0; i < 400; i++) {
            assertEquals(0.01, never.lr(i));
            never.observe(i, 0.9);
        }
        assertEquals(0.1, never.lr(400));

        LrSchedule resumed = Schedules.errorGatedWarmup(0.01, 0.8, 400, Schedules.constant(0.1));
        resumed.loadState(s.state());
        assertEquals(0.1, resumed.lr(3));
    }
}
