/** Faster R-CNN with FPN on the residual backbone, mirroring torchvision's {@code models/detection}. */
package io.resdet.detector;
