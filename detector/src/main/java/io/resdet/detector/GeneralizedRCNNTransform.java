package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.resdet.detector.ops.Bilinear;
import io.resdet.image.RgbImage;
import io.resdet.nn.Scopes;

import java.util.ArrayList;
import java.util.List;

/**
 * torchvision's {@code GeneralizedRCNNTransform} for inference: normalise, resize so the short side is
 * {@code minSize} unless the long side would pass {@code maxSize} (scale computed in float32, output size
 * {@code floor(in · scale)}, bilinear without corner alignment), pad the batch to a multiple of 32, and
 * map detections back to the original pixels.
 */
public final class GeneralizedRCNNTransform {
    public static final float[] IMAGE_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGE_STD = {0.229f, 0.224f, 0.225f};
    private static final int SIZE_DIVISIBLE = 32;

    private final int minSize;
    private final int maxSize;
    private final int[] trainMinSizes;

    public GeneralizedRCNNTransform(int minSize, int maxSize) {
        this(minSize, maxSize, List.of());
    }

    /** {@code trainMinSizes}: in training each image's short side is drawn from these (scale jitter). */
    public GeneralizedRCNNTransform(int minSize, int maxSize, List<Integer> trainMinSizes) {
        if (minSize <= 0 || maxSize <= 0) throw new IllegalArgumentException("min/max size must be positive");
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.trainMinSizes = trainMinSizes.stream().mapToInt(Integer::intValue).toArray();
        for (int s : this.trainMinSizes) if (s <= 0) throw new IllegalArgumentException("train min sizes must be positive");
    }

    public int minSize() {
        return minSize;
    }

    public int maxSize() {
        return maxSize;
    }

    /**
     * An 8-bit image as torchvision's {@code ToTensor()} makes it: (3, H, W) float32 in [0, 1], on {@code m}'s
     * device. The bytes cross to the device as they are (a quarter of the float image) and the layout change, the
     * conversion and the division by 255 run there; float32 division is correctly rounded on every device, so the
     * values equal {@code (byte & 0xff) / 255f} exactly. DJL has no pinned-memory allocation, so this host→device
     * copy is a plain (pageable) one: the one unavoidable upload per image.
     */
    public static NDArray toTensor(NDManager m, RgbImage im) {
        byte[] px = im.rgb();
        java.nio.ByteBuffer buf = m.allocateDirect(px.length);
        buf.put(px).rewind();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray hwc = m.create(buf, new Shape(im.height(), im.width(), 3), DataType.UINT8);
            // flatten forces a contiguous (3, H, W) copy of the permuted bytes before the float conversion
            NDArray chw = hwc.transpose(2, 0, 1).flatten().reshape(3, im.height(), im.width());
            NDArray out = chw.toType(DataType.FLOAT32, false).div(255f);
            NDScope.unregister(out);
            return out;
        }
    }

    /** The resized size {@code {h, w}} torchvision gives an image of {@code h × w}. */
    public long[] resizedSize(long h, long w) {
        return resizedSize(h, w, minSize);
    }

    private long[] resizedSize(long h, long w, int shortSide) {
        float lo = Math.min(h, w), hi = Math.max(h, w);
        // torch evaluates `800.0 / t` as `t.reciprocal() * 800` in float32; a plain division can differ in
        // the last bit and then floor() gives a different size (e.g. 361 px → 799 vs 800).
        float scale = Math.min((1f / lo) * shortSide, (1f / hi) * maxSize);
        return new long[] {(long) Math.floor(h * (double) scale), (long) Math.floor(w * (double) scale)};
    }

    /** Images (3, H, W) in [0, 1] → a normalised, resized, padded batch. */
    public ImageList apply(List<NDArray> images) {
        return apply(images, null, null);
    }

    /**
     * The training transform: as {@link #apply(List)}, and each target's boxes scaled to its resized image
     * (x and y ratios in float32, torchvision's {@code resize_boxes}). With {@code rng} and train min sizes,
     * each image's short side is drawn from them.
     *
     * @param targets per image, replaced in place by the resized targets; may be null
     */
    public ImageList apply(List<NDArray> images, List<DetectionTarget> targets, java.util.Random rng) {
        List<long[]> sizes = new ArrayList<>();
        NDArray batch = Scopes.keep(() -> {
            NDList resized = new NDList();
            long maxH = 0, maxW = 0;
            for (int i = 0; i < images.size(); i++) {
                NDArray img = images.get(i);
                int shortSide = rng != null && trainMinSizes.length > 0 ? trainMinSizes[rng.nextInt(trainMinSizes.length)] : minSize;
                long[] size = resizedSize(img.getShape().get(1), img.getShape().get(2), shortSide);
                NDArray r = resize(normalize(img), size);
                resized.add(r);
                sizes.add(new long[] {r.getShape().get(1), r.getShape().get(2)});
                maxH = Math.max(maxH, r.getShape().get(1));
                maxW = Math.max(maxW, r.getShape().get(2));
            }
            long padH = (long) (Math.ceil(maxH / (double) SIZE_DIVISIBLE) * SIZE_DIVISIBLE);
            long padW = (long) (Math.ceil(maxW / (double) SIZE_DIVISIBLE) * SIZE_DIVISIBLE);
            NDArray out = images.get(0).getManager().zeros(new Shape(images.size(), 3, padH, padW), DataType.FLOAT32,
                    images.get(0).getDevice());
            for (int i = 0; i < resized.size(); i++) {
                NDArray r = resized.get(i);
                out.set(new NDIndex("{}, :, :{}, :{}", i, r.getShape().get(1), r.getShape().get(2)), r);
            }
            return out;
        });
        if (targets != null) {
            for (int i = 0; i < targets.size(); i++) {
                NDArray img = images.get(i);
                targets.set(i, resizeTarget(targets.get(i), img.getShape().get(1), img.getShape().get(2), sizes.get(i)));
            }
        }
        return new ImageList(batch, sizes);
    }

    private static NDArray normalize(NDArray img) {
        NDManager m = img.getManager();
        NDArray mean = m.create(IMAGE_MEAN, new Shape(3, 1, 1)).toDevice(img.getDevice(), false);
        NDArray std = m.create(IMAGE_STD, new Shape(3, 1, 1)).toDevice(img.getDevice(), false);
        return img.sub(mean).div(std);
    }

    private static DetectionTarget resizeTarget(DetectionTarget t, long h, long w, long[] size) {
        float rh = (float) size[0] / (float) h;
        float rw = (float) size[1] / (float) w;
        NDArray ratio = t.boxes().getManager().create(new float[] {rw, rh, rw, rh}).toDevice(t.boxes().getDevice(), false);
        return new DetectionTarget(t.boxes().mul(ratio), t.labels());
    }

    private static NDArray resize(NDArray img, long[] size) {
        if (Bilinear.shrinks(img, size[0], size[1])) return Bilinear.resize(img, size[0], size[1]);
        NDArray batched = img.expandDims(0);
        // DJL mode 1 is torch's bilinear; corners are not aligned, as torchvision asks.
        return batched.getNDArrayInternal().interpolation(size, 1, false).squeeze(0);
    }

    /** Scales (K, 4) boxes from the resized image back to the original one, x and y separately, in float32. */
    public static NDArray postprocessBoxes(NDArray boxes, long[] resized, long[] original) {
        float rh = (float) original[0] / (float) resized[0];
        float rw = (float) original[1] / (float) resized[1];
        return Scopes.keep(() -> {
            NDArray ratio = boxes.getManager().create(new float[] {rw, rh, rw, rh}).toDevice(boxes.getDevice(), false);
            return boxes.mul(ratio);
        });
    }
}
