# Benchmark peer for Faster R-CNN: builds a seeded torchvision detector, saves its weights for resdet,
# and times inference per stage on request, so both sides alternate in one run on the same machine.
# Protocol: "load ARCH THREADS WEIGHTS_OUT [DEVICE] [half]" -> "ok TORCH_VERSION TORCHVISION_VERSION"; "run N H W" -> "total transform backbone rpn roi_align
# box_head postprocess" (seconds); "export N H W PATH" -> "ok": the same model (transform inside the graph) to ONNX, opset
# 11, for N images of H x W, for the ONNX Runtime peer (written to PATH.tmp, then renamed, so a cache never holds half a file). On CUDA each stage ends with torch.cuda.synchronize(), so its time is its own; "half"
# runs under float16 autocast (convolutions and linear layers in float16, roi_align and box ops in float32).
import contextlib, sys, time, torch, torchvision
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.backbone_utils import _resnet_fpn_extractor
from torchvision.ops import misc

model = None
device = torch.device("cpu")
half = False


def stamp():
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter()


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
    t0 = stamp()
    original = [img.shape[-2:] for img in images]
    il, _ = model.transform(images); t1 = stamp()
    feats = model.backbone(il.tensors); t2 = stamp()
    props, _ = model.rpn(il, feats); t3 = stamp()
    rh = model.roi_heads
    pooled = rh.box_roi_pool(feats, props, il.image_sizes); t4 = stamp()
    logits, deltas = rh.box_predictor(rh.box_head(pooled)); t5 = stamp()
    boxes, scores, labels = rh.postprocess_detections(logits, deltas, props, il.image_sizes)
    res = [{"boxes": b, "scores": s, "labels": l} for b, s, l in zip(boxes, scores, labels)]
    model.transform.postprocess(res, il.image_sizes, original)
    [r["scores"].cpu() for r in res]; t6 = stamp()
    return [t6 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5]


for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "load":
        torch.set_num_threads(int(cmd[2]))
        model = build(cmd[1])
        torch.save(model.state_dict(), cmd[3])
        device = torch.device(cmd[4] if len(cmd) > 4 else "cpu")
        half = len(cmd) > 5 and cmd[5] == "half"
        model = model.to(device)
        print("ok", torch.__version__, torchvision.__version__, flush=True)
    elif cmd[0] == "run":
        n, h, w = int(cmd[1]), int(cmd[2]), int(cmd[3])
        g = torch.Generator().manual_seed(1)
        images = [torch.rand(3, h, w, generator=g).to(device) for _ in range(n)]
        amp = torch.autocast(device.type, dtype=torch.float16) if half else contextlib.nullcontext()
        with torch.no_grad(), amp:
            print(" ".join(f"{v:.6f}" for v in run(images)), flush=True)
    elif cmd[0] == "export":
        import os
        n, h, w, path = int(cmd[1]), int(cmd[2]), int(cmd[3]), cmd[4]
        g = torch.Generator().manual_seed(1)
        images = [torch.rand(3, h, w, generator=g) for _ in range(n)]
        cpu = model.to("cpu")
        with torch.no_grad(), contextlib.redirect_stdout(sys.stderr):  # the exporter prints; stdout is the protocol
            torch.onnx.export(cpu, (images,), path + ".tmp", opset_version=11, do_constant_folding=True,
                              input_names=[f"image{i}" for i in range(n)])
        os.replace(path + ".tmp", path)
        model = cpu.to(device)
        print("ok", flush=True)
    elif cmd[0] == "quit":
        break
