# Oracle for `resdet eval run`: a seeded small torchvision Faster R-CNN (ResNet-18 FPN, 320 px) saved with
# torch.save, three PNG images, and a COCO GT made of torchvision's own confident detections — so a
# detector that reproduces torchvision scores AP 1.0 on it.
# usage: coco_run_case.py OUT_DIR SEED
import json, os, sys, numpy as np, torch, torchvision
from PIL import Image
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops import misc
from torchvision.transforms.functional import to_tensor

out, seed = sys.argv[1], int(sys.argv[2])
torch.manual_seed(seed)
rng = np.random.default_rng(seed)
model = FasterRCNN(_resnet_fpn_extractor(torchvision.models.resnet18(norm_layer=misc.FrozenBatchNorm2d), 3),
                   num_classes=5, min_size=320, max_size=512)
model.eval()
os.makedirs(f"{out}/images", exist_ok=True)
imgs = []
for i, (h, w) in enumerate([(240, 320), (300, 200), (256, 256)]):
    yy, xx = np.mgrid[0:h, 0:w]
    a = np.stack([np.sin(xx / (6 + i)) * 100 + 128, np.cos(yy / 8.0) * 90 + 120, ((xx // 32 + yy // 32) % 2) * 150 + 50], -1)
    Image.fromarray(np.clip(a + rng.normal(0, 10, (h, w, 3)), 0, 255).astype(np.uint8)).save(f"{out}/images/{100 + i}.png")
    imgs.append(to_tensor(Image.open(f"{out}/images/{100 + i}.png")))
with torch.no_grad():  # trained-range heads (see the detector's parity oracle)
    il, _ = model.transform(imgs); feats = model.backbone(il.tensors)
    obj, reg = model.rpn.head(list(feats.values()))
    model.rpn.head.cls_logits.weight.mul_(2.0 / torch.cat([o.flatten() for o in obj]).std())
    model.rpn.head.bbox_pred.weight.mul_(0.3 / torch.cat([r.flatten() for r in reg]).std())
    props, _ = model.rpn(il, feats); rh = model.roi_heads
    x = rh.box_head(rh.box_roi_pool(feats, props, il.image_sizes))
    rh.box_predictor.cls_score.weight.mul_(3.0 / rh.box_predictor.cls_score(x).std())
    rh.box_predictor.bbox_pred.weight.mul_(1.0 / rh.box_predictor.bbox_pred(x).std())
    # one image per forward, as `eval run --batch 1`: batching pads images to a common size, which
    # changes what a network sees at the borders
    dets = [model([im])[0] for im in imgs]
torch.save(model.state_dict(), f"{out}/weights.pth")
images, anns = [], []
for i, d in enumerate(dets):
    images.append({"id": 100 + i, "file_name": f"{100 + i}.png", "width": imgs[i].shape[2], "height": imgs[i].shape[1]})
    for b, s, l in zip(d["boxes"].tolist(), d["scores"].tolist(), d["labels"].tolist()):
        if s > 0.5:
            w, h = b[2] - b[0], b[3] - b[1]
            anns.append({"id": len(anns) + 1, "image_id": 100 + i, "category_id": l, "bbox": [b[0], b[1], w, h], "area": w * h, "iscrowd": 0})
gt = {"images": images, "annotations": anns, "categories": [{"id": c, "name": f"class{c}"} for c in range(1, 5)]}
json.dump(gt, open(f"{out}/gt.json", "w"))
print(len(anns))

# The same confident detections as a PASCAL VOC devkit tree (1-based inclusive integer boxes), for the
# VOC flavour of `eval run`; label i is line i of voc/labels.txt.
names = ["__background__", "aeroplane", "bicycle", "bird", "boat"]
os.makedirs(f"{out}/voc/Annotations", exist_ok=True)
os.makedirs(f"{out}/voc/ImageSets/Main", exist_ok=True)
os.makedirs(f"{out}/voc/JPEGImages", exist_ok=True)
open(f"{out}/voc/labels.txt", "w").write("\n".join(names) + "\n")
ids = []
for i, d in enumerate(dets):
    vid = f"{i:06d}"
    ids.append(vid)
    Image.open(f"{out}/images/{100 + i}.png").save(f"{out}/voc/JPEGImages/{vid}.png")
    objs = ""
    for b, s, l in zip(d["boxes"].tolist(), d["scores"].tolist(), d["labels"].tolist()):
        if s > 0.5:
            # boxes under 10 px may not survive integer rounding at IoU > 0.5: the devkit's "difficult"
            # makes them count neither way
            hard = int(b[2] - b[0] <= 10 or b[3] - b[1] <= 10)
            x1, y1, x2, y2 = [int(round(v)) + 1 for v in b]
            objs += (f"<object><name>{names[l]}</name><difficult>{hard}</difficult><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>"
                     f"<xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>")
    open(f"{out}/voc/Annotations/{vid}.xml", "w").write(f"<annotation><filename>{vid}.png</filename>{objs}</annotation>")
open(f"{out}/voc/ImageSets/Main/test.txt", "w").write("\n".join(ids) + "\n")
