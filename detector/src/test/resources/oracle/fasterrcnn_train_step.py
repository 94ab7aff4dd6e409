# Oracle: one torchvision Faster R-CNN training step on two images with targets. The samplers' randperm
# draws are recorded so resdet can replay them; losses, gradients of chosen parameters, the transformed
# batch, resized targets and the RPN's proposals are saved.
# usage: fasterrcnn_train_step.py small|v1 OUT_DIR SEED
import sys, json, numpy as np, torch, torchvision
from PIL import Image
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor, BackboneWithFPN
from torchvision.ops import misc as misc_nn_ops, MultiScaleRoIAlign
from torchvision.transforms.functional import to_tensor

variant, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.manual_seed(seed)
rng = np.random.default_rng(seed)
num_classes = 4
if variant == "small":
    # resnet18 body with trainable BatchNorm, C2..C4 into a 128-wide FPN, anchors 16..128, a 256-wide box
    # head, 64 RoIs per image, fewer proposals: the configuration resdet trains from scratch.
    body = torchvision.models.resnet18(norm_layer=torch.nn.BatchNorm2d)
    backbone = BackboneWithFPN(body, {"layer1": "0", "layer2": "1", "layer3": "2"}, [64, 128, 256], 128,
                               extra_blocks=torchvision.ops.feature_pyramid_network.LastLevelMaxPool())
    anchors = AnchorGenerator(((16,), (32,), (64,), (128,)), ((0.5, 1.0, 2.0),) * 4)
    model = FasterRCNN(backbone, num_classes=num_classes, min_size=160, max_size=266,
                       rpn_anchor_generator=anchors,
                       box_roi_pool=MultiScaleRoIAlign(["0", "1", "2"], 7, 2),
                       rpn_pre_nms_top_n_train=600, rpn_post_nms_top_n_train=300,
                       box_batch_size_per_image=64)
    model.roi_heads.box_head = torchvision.models.detection.faster_rcnn.TwoMLPHead(128 * 49, 256)
    model.roi_heads.box_predictor = torchvision.models.detection.faster_rcnn.FastRCNNPredictor(256, num_classes)
    sizes = [(150, 170), (140, 120)]
else:
    body = torchvision.models.resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d)
    model = FasterRCNN(_resnet_fpn_extractor(body, 3), num_classes=num_classes, min_size=320, max_size=512)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, misc_nn_ops.FrozenBatchNorm2d):
                m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
    sizes = [(320, 417), (352, 320)]  # short side 320 = min_size: no resampling, so end to end compares exactly

images, targets = [], []
for i, (h, w) in enumerate(sizes):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([np.sin(xx / (9.0 + i)) * 60 + 90, np.cos(yy / 13.0) * 50 + 100, np.full((h, w), 70.0)], -1)
    boxes = []
    for k in range(3 + i):
        bw, bh = rng.uniform(0.15, 0.5) * w, rng.uniform(0.15, 0.5) * h
        x1, y1 = rng.uniform(0, w - bw), rng.uniform(0, h - bh)
        img[int(y1):int(y1 + bh), int(x1):int(x1 + bw)] = rng.uniform(150, 255, 3)
        boxes.append([x1, y1, x1 + bw, y1 + bh])
    img = np.clip(img + rng.normal(0, 10, (h, w, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{out}/img{i}.png")
    images.append(to_tensor(Image.open(f"{out}/img{i}.png").convert("RGB")))
    targets.append({"boxes": torch.tensor(boxes, dtype=torch.float32),
                    "labels": torch.tensor(rng.integers(1, num_classes, len(boxes)), dtype=torch.int64)})

# Decisive RPN heads (objectness std 2, deltas std 0.3, as a trained RPN) so NMS has no near-ties.
model.eval()
with torch.no_grad():
    il, _ = model.transform(images)
    obj, reg = model.rpn.head(list(model.backbone(il.tensors).values()))
    model.rpn.head.cls_logits.weight.mul_(2.0 / torch.cat([o.flatten() for o in obj]).std())
    model.rpn.head.bbox_pred.weight.mul_(0.3 / torch.cat([r.flatten() for r in reg]).std())
    # ... and a box predictor in a trained model's ranges (class logits std 3, deltas std 1), so the losses are
    # not dominated by the random body's extreme logits.
    feats = model.backbone(il.tensors)
    props, _ = model.rpn(il, feats)
    rh = model.roi_heads
    x = rh.box_head(rh.box_roi_pool(feats, props, il.image_sizes))
    rh.box_predictor.cls_score.weight.mul_(3.0 / rh.box_predictor.cls_score(x).std())
    rh.box_predictor.bbox_pred.weight.mul_(1.0 / rh.box_predictor.bbox_pred(x).std())
torch.save(model.state_dict(), f"{out}/weights.pth")
model.train()

perms = []
randperm = torch.randperm
def recording_randperm(n, *args, **kwargs):
    p = randperm(n, *args, **kwargs)
    perms.append(p.tolist())
    return p
torch.randperm = recording_randperm

arrays = {}
saved = {}
orig_rpn_forward = model.rpn.forward
def rpn_forward(images_, features, targets_=None):
    boxes, losses = orig_rpn_forward(images_, features, targets_)
    saved["proposals"] = [b.detach().clone() for b in boxes]
    saved["batch"] = images_.tensors.detach().clone()
    saved["image_sizes"] = images_.image_sizes
    saved["targets"] = [t["boxes"].clone() for t in targets_]
    return boxes, losses
model.rpn.forward = rpn_forward
losses = model(images, targets)
total = sum(losses.values())
total.backward()

for k, v in losses.items():
    arrays[k] = v.detach().numpy()
arrays["batch"] = saved["batch"].numpy()
for i, p in enumerate(saved["proposals"]):
    arrays[f"proposals_{i}"] = p.numpy()
for i, t in enumerate(saved["targets"]):
    arrays[f"target_boxes_{i}"] = t.numpy()
    arrays[f"target_labels_{i}"] = targets[i]["labels"].numpy()
probed = ["backbone.body.conv1.weight", "backbone.body.layer1.0.conv1.weight", "backbone.fpn.layer_blocks.0.0.weight",
          "rpn.head.conv.0.0.weight", "rpn.head.cls_logits.weight", "rpn.head.bbox_pred.weight",
          "roi_heads.box_head.fc6.weight", "roi_heads.box_predictor.cls_score.weight",
          "roi_heads.box_predictor.bbox_pred.weight"]
named = dict(model.named_parameters())
for name in probed:
    if named[name].grad is not None:
        arrays["grad/" + name] = named[name].grad.numpy()
np.savez(f"{out}/expected.npz", **arrays)
json.dump([t["boxes"].tolist() for t in targets], open(f"{out}/targets.json", "w"))
json.dump({"perms": perms, "image_sizes": [list(s) for s in saved["image_sizes"]]}, open(f"{out}/perms.json", "w"))
print({k: float(v) for k, v in losses.items()})
