package io.resdet.train;

/**
 * SplitMix64: the sampling RNG for data order and augmentation. Its whole state is one long, so a checkpoint
 * stores it exactly and a resumed run draws the same numbers an uninterrupted one would.
 */
public final class SplitMix {
    private long state;

    public SplitMix(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound); the modulo bias is below 2^-40 for the bounds used here. */
    public int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public boolean nextBoolean() {
        return nextLong() < 0;
    }

    /** Box–Muller without a cached second value, so the state stays one long. */
    public double nextGaussian() {
        double u = Math.max(nextDouble(), 1e-300);
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * nextDouble());
    }

    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    public long state() {
        return state;
    }

    public void setState(long s) {
        state = s;
    }
}
