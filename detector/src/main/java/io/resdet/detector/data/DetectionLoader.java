package io.resdet.detector.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Training batches, forever: epoch after epoch of batches planned as torchvision's reference plans them (shuffle,
 * then aspect-ratio groups), images decoded on worker threads a few batches ahead, optionally flipped. Everything a
 * batch holds is a function of (seed, epoch, position) — the order from {@code SplitMix(seed + epoch)}, each
 * image's flip from a hash of (seed, epoch, dataset index) — so results are identical with any number of workers
 * and any timing, and a run resumed at iteration i (via {@link Builder#optStartIteration}) sees exactly the
 * batches an uninterrupted run saw from i on.
 *
 * <pre>{@code
 * try (DetectionLoader loader = DetectionLoader.builder().setDataset(ds).setBatchSize(2).optSeed(1)
 *         .optHorizontalFlip(0.5).optWorkers(4).optStartIteration(trainer.iteration()).build()) {
 *     while (...) { List<DetectionSample> batch = loader.next(); ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one consumer calls {@link #next}. An image that fails to decode surfaces from {@code next()}
 * as an {@link UncheckedIOException} whose message names the file; that batch is skipped. {@link #close} stops the
 * workers.
 */
public final class DetectionLoader implements AutoCloseable, java.util.Iterator<List<DetectionSample>> {
    private final DetectionDataset dataset;
    private final BatchPlan plan;
    private final int batchesPerEpoch;
    private final long seed;
    private final double flipProbability;
    private final int prefetch;
    private final ExecutorService workers;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private long nextToSubmit;
    private long nextToReturn;
    private int currentEpoch;
    private int plannedEpoch = -1;
    private int[][] plannedBatches;
    private boolean closed;

    private record Pending(long iteration, List<Future<DetectionSample>> samples) {}

    private DetectionLoader(Builder b) {
        dataset = b.dataset;
        plan = new BatchPlan(BatchPlan.aspectRatioGroups(b.dataset, b.groups), b.batchSize, b.shuffle, b.seed, b.groups > 0);
        batchesPerEpoch = plan.batchesPerEpoch();
        seed = b.seed;
        flipProbability = b.flip;
        // without workers every batch decoded ahead would hold up the caller, so nothing is decoded ahead
        prefetch = b.workers == 0 ? 0 : b.prefetch;
        workers = b.workers == 0 ? null : Executors.newFixedThreadPool(b.workers, daemonThreads());
        nextToSubmit = nextToReturn = Math.addExact(Math.multiplyExact((long) b.startEpoch, batchesPerEpoch), b.startIteration);
        currentEpoch = epochOf(nextToReturn);
    }

    public static Builder builder() {
        return new Builder();
    }

    public DetectionDataset dataset() {
        return dataset;
    }

    /** {@code floor(size / batchSize)}, the same every epoch. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The epoch of the batch {@link #next} returned last (before the first call: of the batch it will return). */
    public int epoch() {
        return currentEpoch;
    }

    /**
     * The global index of the batch {@link #next} returns next: batches consumed since epoch 0, resume offset
     * included. Save it and pass it to {@link Builder#optStartIteration} to resume exactly.
     */
    public long iteration() {
        return nextToReturn;
    }

    /** Position within its epoch of the batch {@link #next} returns next. */
    public int iterationInEpoch() {
        return (int) (nextToReturn % batchesPerEpoch);
    }

    /** The dataset indices of each batch of {@code epoch}, in order (what {@link #next} will decode). */
    public int[][] epochBatches(int epoch) {
        return plan.epoch(epoch);
    }

    /** Whether image {@code index} is flipped when it appears in {@code epoch}. */
    public boolean flips(int epoch, int index) {
        if (flipProbability <= 0) return false;
        long h = mix(mix(mix(seed ^ 0x6A09E667F3BCC908L) + epoch) + index);
        return (h >>> 11) * 0x1.0p-53 < flipProbability;
    }

    /** True until {@link #close}: the stream of batches does not end. */
    @Override
    public boolean hasNext() {
        return !closed;
    }

    @Override
    public List<DetectionSample> next() {
        if (closed) throw new NoSuchElementException("loader is closed");
        if (pending.isEmpty()) submit();
        Pending p = pending.removeFirst();
        nextToReturn = p.iteration() + 1;
        currentEpoch = epochOf(p.iteration());
        while (pending.size() < prefetch) submit();
        List<DetectionSample> out = new ArrayList<>(p.samples().size());
        for (Future<DetectionSample> f : p.samples()) out.add(await(f));
        return List.copyOf(out);
    }

    private void submit() {
        long it = nextToSubmit++;
        int epoch = epochOf(it);
        if (epoch != plannedEpoch) {
            plannedBatches = plan.epoch(epoch);
            plannedEpoch = epoch;
        }
        int[] idx = plannedBatches[(int) (it % batchesPerEpoch)];
        List<Future<DetectionSample>> fs = new ArrayList<>(idx.length);
        for (int index : idx) {
            boolean flip = flips(epoch, index);
            if (workers == null) {
                fs.add(decodeNow(index, flip));
            } else {
                fs.add(workers.submit(() -> decode(index, flip)));
            }
        }
        pending.addLast(new Pending(it, fs));
    }

    private CompletableFuture<DetectionSample> decodeNow(int index, boolean flip) {
        try {
            return CompletableFuture.completedFuture(decode(index, flip));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private DetectionSample decode(int index, boolean flip) throws IOException {
        DetectionSample s = dataset.get(index);
        return flip ? s.flipped() : s;
    }

    private static DetectionSample await(Future<DetectionSample> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw new UncheckedIOException(io.getMessage(), io);
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    private int epochOf(long iteration) {
        return Math.toIntExact(iteration / batchesPerEpoch);
    }

    /** SplitMix64's finaliser: spreads consecutive inputs over the whole range. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "detection-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops the workers; batches in flight are abandoned. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Pending p : pending) for (Future<DetectionSample> f : p.samples()) f.cancel(true);
        pending.clear();
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** DJL style: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private DetectionDataset dataset;
        private int batchSize;
        private boolean shuffle = true;
        private long seed;
        private double flip;
        private int groups = 3;
        private int workers = 2;
        private int prefetch = 2;
        private int startEpoch;
        private long startIteration;

        private Builder() {}

        public Builder setDataset(DetectionDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffle each epoch (default true); false keeps dataset order, still grouped. */
        public Builder optShuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed for order and flips (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Probability of flipping an image left–right (default 0; torchvision's training preset uses 0.5). */
        public Builder optHorizontalFlip(double probability) {
            this.flip = probability;
            return this;
        }

        /**
         * Aspect-ratio groups factor k (default 3, torchvision's {@code --aspect-ratio-group-factor}): batches hold
         * images of one of 2k+2 width/height bins; 0 turns grouping off.
         */
        public Builder optAspectRatioGroups(int k) {
            this.groups = k;
            return this;
        }

        /** Decoding threads (default 2); 0 decodes on the thread calling {@code next()}. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Batches decoded ahead while the caller works on the current one (default 2). */
        public Builder optPrefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /** Start at the first batch of this epoch (torchvision's {@code --start-epoch}). */
        public Builder optStartEpoch(int epoch) {
            this.startEpoch = epoch;
            return this;
        }

        /**
         * Start this many batches further on: alone, a global iteration counted from epoch 0 (what
         * {@link DetectionLoader#iteration()} and the trainer count); with {@link #optStartEpoch}, an offset into
         * that epoch. The first batch is {@code startEpoch × batchesPerEpoch + startIteration}.
         */
        public Builder optStartIteration(long iteration) {
            this.startIteration = iteration;
            return this;
        }

        public DetectionLoader build() {
            if (dataset == null) throw new IllegalArgumentException("setDataset is required");
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            if (dataset.size() < batchSize) {
                throw new IllegalArgumentException(dataset.describe() + ": " + dataset.size() + " images, fewer than the batch size " + batchSize);
            }
            if (!(flip >= 0 && flip <= 1)) throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flip);
            if (groups < 0) throw new IllegalArgumentException("aspect-ratio group factor must be at least 0, got " + groups);
            if (workers < 0) throw new IllegalArgumentException("workers must be at least 0, got " + workers);
            if (prefetch < 0) throw new IllegalArgumentException("prefetch must be at least 0, got " + prefetch);
            if (startEpoch < 0 || startIteration < 0) throw new IllegalArgumentException("start epoch and iteration must not be negative");
            return new DetectionLoader(this);
        }
    }
}
