# Oracle: a seeded torchvision Faster R-CNN (v1 or v2), randomised BN statistics, decisive heads,
# torch.save'd; PNG images of odd sizes; every stage's output for the batch of those images.
# usage: fasterrcnn_forward.py v1|v2 OUT_DIR SEED NUM_CLASSES
import sys, numpy as np, torch, torchvision
from PIL import Image
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops import misc as misc_nn_ops
from torchvision.transforms.functional import to_tensor

variant, out, seed, num_classes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.manual_seed(seed)
rng = np.random.default_rng(seed)
if variant == "v1":
    body = torchvision.models.resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d)
    model = FasterRCNN(_resnet_fpn_extractor(body, 3), num_classes=num_classes, box_score_thresh=0.0)
else:
    model = torchvision.models.detection.fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None,
                                                                     num_classes=num_classes, box_score_thresh=0.0)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, (torch.nn.BatchNorm2d, misc_nn_ops.FrozenBatchNorm2d)):
            m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
model.eval()

images = []
for i, (h, w) in enumerate([(333, 517), (480, 361)]):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([np.sin(xx / (9.0 + i)) * 90 + 128, np.cos(yy / 13.0) * 80 + 120,
                    ((xx // 40 + yy // 40) % 2) * 120 + 60], -1)
    img = np.clip(img + rng.normal(0, 15, (h, w, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{out}/img{i}.png")
    images.append(to_tensor(Image.open(f"{out}/img{i}.png").convert("RGB")))

# Random heads give near-uniform class scores, logits far from zero saturate sigmoid/softmax into exact
# ties, and large random box deltas make decoded boxes hypersensitive to rounding. Scale the heads on these
# very images to a trained model's ranges: objectness logits std 2, class logits std 3, RPN deltas std 0.3,
# RoI deltas std 1 (0.1-0.2 after the box coder's 10/10/5/5 weights).
arrays = {}
with torch.no_grad():
    original_sizes = [img.shape[-2:] for img in images]
    il, _ = model.transform(images)
    arrays["batch"] = il.tensors.numpy()
    feats = model.backbone(il.tensors)
    for k, v in feats.items():
        arrays[f"feat_{k}"] = v.numpy()
    obj, reg = model.rpn.head(list(feats.values()))
    model.rpn.head.cls_logits.weight.mul_(2.0 / torch.cat([o.flatten() for o in obj]).std())
    model.rpn.head.bbox_pred.weight.mul_(0.3 / torch.cat([r.flatten() for r in reg]).std())
    props, _ = model.rpn(il, feats)
    rh = model.roi_heads
    x = rh.box_head(rh.box_roi_pool(feats, props, il.image_sizes))
    rh.box_predictor.cls_score.weight.mul_(3.0 / rh.box_predictor.cls_score(x).std())
    rh.box_predictor.bbox_pred.weight.mul_(1.0 / rh.box_predictor.bbox_pred(x).std())
    torch.save(model.state_dict(), f"{out}/weights.pth")

    props, _ = model.rpn(il, feats)
    for i, p in enumerate(props):
        arrays[f"proposals_{i}"] = p.numpy()
    dets, _ = model.roi_heads(feats, props, il.image_sizes)
    dets = model.transform.postprocess(dets, il.image_sizes, original_sizes)
    for i, d in enumerate(dets):
        arrays[f"boxes_{i}"] = d["boxes"].numpy()
        arrays[f"scores_{i}"] = d["scores"].numpy()
        arrays[f"labels_{i}"] = d["labels"].numpy()
np.savez(f"{out}/expected.npz", **arrays)
print(sum(p.numel() for p in model.parameters()))
