package io.resdet.detector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Float16 inference ({@link FasterRCNN#toHalf()}): convolutions and fully connected layers run in float16, while
 * everything that handles box coordinates or ranks scores (anchors, box decoding, RoIAlign's bilinear sums, softmax,
 * NMS) stays in float32, as torch's autocast does for torchvision's detection ops: in float16 a coordinate near
 * 1000 px is only exact to half a pixel.
 */
final class Half {
    private Half() {}

    /** {@code x} itself when it is float32 (or float64), else a float32 copy on its device. */
    static NDArray toFloat32(NDArray x) {
        DataType t = x.getDataType();
        return t == DataType.FLOAT16 || t == DataType.BFLOAT16 ? x.toType(DataType.FLOAT32, false) : x;
    }
}
