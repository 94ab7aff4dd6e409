# Training-speed reference: torchvision's Faster R-CNN with the configuration resdet trains (a DetectorSpec as
# JSON), SGD + linear warm-up, on a COCO-format dataset, images decoded up front (data loading not timed).
# usage: train_reference.py SPEC_JSON ANNOTATIONS IMAGES_DIR ITERATIONS BATCH LR THREADS SEED WARM
# prints one JSON line: {"iterations", "timed_iterations", "seconds", "images_per_s", "last_loss"}
import json, sys, time, random
import torch, torchvision
from PIL import Image
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.models.detection.faster_rcnn import TwoMLPHead, FastRCNNPredictor
from torchvision.ops import MultiScaleRoIAlign, misc
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool
from torchvision.transforms.functional import to_tensor

spec = json.loads(sys.argv[1])
ann_file, images_dir = sys.argv[2], sys.argv[3]
iterations, batch, lr, threads, seed, warm = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
torch.set_num_threads(threads)
torch.manual_seed(seed)
random.seed(seed)

depth = int(spec["arch"].split("resnet")[1].split("_")[0])
norm = torch.nn.BatchNorm2d if spec["norm"] == "batchnorm" else misc.FrozenBatchNorm2d
body = getattr(torchvision.models, f"resnet{depth}")(norm_layer=norm)
layers = spec["returnedLayers"]
stage_channels = [64, 128, 256, 512] if depth < 50 else [256, 512, 1024, 2048]
backbone = BackboneWithFPN(body, {f"layer{k}": str(i) for i, k in enumerate(layers)}, [stage_channels[k - 1] for k in layers],
                           spec["fpnChannels"], extra_blocks=LastLevelMaxPool())
rpn, heads = spec["rpn"], spec["heads"]
model = FasterRCNN(backbone, num_classes=spec["numClasses"], min_size=spec["minSize"], max_size=spec["maxSize"],
                   rpn_anchor_generator=AnchorGenerator(tuple((s,) for s in spec["anchorSizes"]), ((0.5, 1.0, 2.0),) * len(spec["anchorSizes"])),
                   box_roi_pool=MultiScaleRoIAlign([str(i) for i in range(len(layers))], 7, 2),
                   rpn_pre_nms_top_n_train=rpn["preNmsTopNTrain"], rpn_post_nms_top_n_train=rpn["postNmsTopNTrain"],
                   rpn_pre_nms_top_n_test=rpn["preNmsTopNTest"], rpn_post_nms_top_n_test=rpn["postNmsTopNTest"],
                   box_batch_size_per_image=heads["batchSizePerImage"])
model.roi_heads.box_head = TwoMLPHead(spec["fpnChannels"] * 49, spec["representationSize"])
model.roi_heads.box_predictor = FastRCNNPredictor(spec["representationSize"], spec["numClasses"])
model.train()

coco = json.load(open(ann_file))
cats = sorted(c["id"] for c in coco["categories"])
label_of = {c: i + 1 for i, c in enumerate(cats)}
by_image = {}
for a in coco["annotations"]:
    if a.get("iscrowd", 0):
        continue
    x, y, w, h = a["bbox"]
    if w > 0 and h > 0:
        by_image.setdefault(a["image_id"], []).append(([x, y, x + w, y + h], label_of[a["category_id"]]))
samples = []
for im in coco["images"]:
    objs = by_image.get(im["id"])
    if not objs:
        continue
    img = to_tensor(Image.open(f"{images_dir}/{im['file_name']}").convert("RGB"))
    samples.append((img, torch.tensor([o[0] for o in objs], dtype=torch.float32), torch.tensor([o[1] for o in objs])))
    if len(samples) >= 512:
        break

params = [p for p in model.parameters() if p.requires_grad]
opt = torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=1e-4)
warmup = min(1000, iterations)
sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda it: 0.001 + (1 - 0.001) * it / warmup if it < warmup else 1.0)
order = list(range(len(samples)))
start, loss = None, float("nan")
for it in range(iterations):
    if it == warm:
        start = time.perf_counter()
    if it % len(order) == 0:
        random.shuffle(order)
    images, targets = [], []
    for k in range(batch):
        img, boxes, labels = samples[order[(it * batch + k) % len(order)]]
        if random.random() < 0.5:
            w = img.shape[-1]
            img = img.flip(-1)
            boxes = boxes[:, [2, 1, 0, 3]] * torch.tensor([-1.0, 1.0, -1.0, 1.0]) + torch.tensor([w, 0.0, w, 0.0])
        images.append(img)
        targets.append({"boxes": boxes, "labels": labels})
    losses = model(images, targets)
    total = sum(losses.values())
    opt.zero_grad()
    total.backward()
    opt.step()
    sched.step()
    loss = float(total)
seconds = time.perf_counter() - start
timed = iterations - warm
print(json.dumps({"iterations": iterations, "timed_iterations": timed, "seconds": seconds,
                  "images_per_s": timed * batch / seconds, "last_loss": loss}))
