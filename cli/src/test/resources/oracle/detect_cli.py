# Oracle for `resdet detect`: a seeded torchvision Faster R-CNN v1 (FrozenBatchNorm eps 1e-5, like resdet's
# v1 for weights not named like torchvision's COCO download) with decisive random heads, torch.save'd;
# two PNGs; torchvision's detections for each image on its own and for both as one batch, as JSON.
# usage: detect_cli.py OUT_DIR SEED MIN_SIZE MAX_SIZE SCORE_THRESH
import json, sys, numpy as np, torch, torchvision
from PIL import Image
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops import misc as misc_nn_ops
from torchvision.transforms.functional import to_tensor

out, seed, min_size, max_size, thresh = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
RPN_GAIN, CLS_GAIN = float(sys.argv[6]), float(sys.argv[7])
torch.manual_seed(seed)
rng = np.random.default_rng(seed)
body = torchvision.models.resnet50(norm_layer=misc_nn_ops.FrozenBatchNorm2d)
model = FasterRCNN(_resnet_fpn_extractor(body, 3), num_classes=91, min_size=min_size, max_size=max_size,
                   box_score_thresh=thresh)
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, misc_nn_ops.FrozenBatchNorm2d):
            m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
    # Spread the random class scores over (0, 1), but keep every score short of saturation: tied
    # scores (sigmoid/softmax rounding to 1.0 in float32) let NMS keep either of two near-equal boxes,
    # and torchvision and resdet may then legitimately pick different ones.
    model.rpn.head.cls_logits.weight.mul_(RPN_GAIN)
    model.roi_heads.box_predictor.cls_score.weight.mul_(CLS_GAIN)
model.eval()
torch.save(model.state_dict(), f"{out}/weights.pth")

images = []
# Smaller than --min-size 320, so they are enlarged: resdet's shrinking path is ~3e-5 off torch's
# resize, which sliver boxes from random heads amplify past the score tolerance.
for i, (h, w) in enumerate([(213, 317), (300, 226)]):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([np.sin(xx / (9.0 + i)) * 90 + 128, np.cos(yy / 13.0) * 80 + 120,
                    ((xx // 40 + yy // 40) % 2) * 120 + 60], -1)
    img = np.clip(img + rng.normal(0, 15, (h, w, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{out}/img{i}.png")
    images.append(to_tensor(Image.open(f"{out}/img{i}.png").convert("RGB")))

def as_json(d):
    return {"boxes": d["boxes"].tolist(), "labels": d["labels"].tolist(), "scores": d["scores"].tolist()}

with torch.no_grad():
    single = [as_json(model([im])[0]) for im in images]
    batched = [as_json(d) for d in model(images)]
# Detection controls on image 0, as torchvision's own settings give them. The class filter has no torchvision
# counterpart; its meaning ("the best 100 of the wanted classes") is all detections, filtered, then the first 100:
# batched_nms is class-wise and sorts by score, so filtering before or after it keeps the same boxes.
rh = model.roi_heads
with torch.no_grad():
    rh.nms_thresh = 0.3
    nms = as_json(model([images[0]])[0])
    rh.nms_thresh, rh.detections_per_img = 0.5, 7
    top7 = as_json(model([images[0]])[0])
    rh.detections_per_img = 10 ** 6
    everything = model([images[0]])[0]
    rh.detections_per_img = 100
labels = everything["labels"].tolist()
wanted = sorted(set(labels), key=lambda l: (-labels.count(l), l))[:2]
keep = [i for i, l in enumerate(labels) if l in wanted][:100]
classes = {"boxes": everything["boxes"][keep].tolist(), "labels": everything["labels"][keep].tolist(),
           "scores": everything["scores"][keep].tolist(), "wanted": wanted}
json.dump({"single": single, "batched": batched, "nms_0.3": nms, "max_7": top7, "classes": classes},
          open(f"{out}/expected.json", "w"))
print(" ".join(str(len(d["scores"])) for d in single))
