# Benchmark peer for Faster R-CNN: builds a seeded torchvision detector, saves its weights for resdet,
# and times inference per stage on request, so both sides alternate in one run on the same machine.
# Protocol: "load ARCH THREADS WEIGHTS_OUT" -> "ok"; "run N H W" -> "total transform backbone rpn roi_align box_head postprocess"
import sys, time, torch, torchvision
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops import misc

model = None


def build(arch):
    torch.manual_seed(0)
    if arch == "fasterrcnn_resnet50_fpn_v2":
        m = torchvision.models.detection.fasterrcnn_resnet50_fpn_v2(weights=None, weights_backbone=None)
    else:
        m = FasterRCNN(_resnet_fpn_extractor(torchvision.models.resnet50(norm_layer=misc.FrozenBatchNorm2d), 3), num_classes=91)
    with torch.no_grad():  # decisive heads: a realistic number of detections survive the 0.05 threshold
        m.rpn.head.cls_logits.weight.mul_(30)
        m.roi_heads.box_predictor.cls_score.weight.mul_(40)
    return m.eval()


def run(images):
    t = {}
    t0 = time.perf_counter()
    original = [img.shape[-2:] for img in images]
    il, _ = model.transform(images); t1 = time.perf_counter()
    feats = model.backbone(il.tensors); t2 = time.perf_counter()
    props, _ = model.rpn(il, feats); t3 = time.perf_counter()
    rh = model.roi_heads
    pooled = rh.box_roi_pool(feats, props, il.image_sizes); t4 = time.perf_counter()
    logits, deltas = rh.box_predictor(rh.box_head(pooled)); t5 = time.perf_counter()
    boxes, scores, labels = rh.postprocess_detections(logits, deltas, props, il.image_sizes)
    res = [{"boxes": b, "scores": s, "labels": l} for b, s, l in zip(boxes, scores, labels)]
    model.transform.postprocess(res, il.image_sizes, original); t6 = time.perf_counter()
    return [t6 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5]


for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "load":
        torch.set_num_threads(int(cmd[2]))
        model = build(cmd[1])
        torch.save(model.state_dict(), cmd[3])
        print("ok", flush=True)
    elif cmd[0] == "run":
        n, h, w = int(cmd[1]), int(cmd[2]), int(cmd[3])
        g = torch.Generator().manual_seed(1)
        images = [torch.rand(3, h, w, generator=g) for _ in range(n)]
        with torch.no_grad():
            print(" ".join(f"{v:.6f}" for v in run(images)), flush=True)
    elif cmd[0] == "quit":
        break
