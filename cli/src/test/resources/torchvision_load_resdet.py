# Loads a resdet-trained model.safetensors into torchvision (strict), from its embedded spec, and prints the
# detections for one image as JSON: [{"box": [x1, y1, x2, y2], "label": L, "score": S}, ...] best first.
# usage: torchvision_load_resdet.py MODEL.safetensors IMAGE
import json, struct, sys
import numpy as np, torch, torchvision
from PIL import Image
from torchvision.models.detection import FasterRCNN
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.models.detection.faster_rcnn import TwoMLPHead, FastRCNNPredictor
from torchvision.ops import MultiScaleRoIAlign, misc
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool
from torchvision.transforms.functional import to_tensor

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
raw = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
spec = json.loads(header.pop("__metadata__")["resdet.detector"])
state = {}
for k, v in header.items():
    a, b = v["data_offsets"]
    arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=DTYPES[v["dtype"]]).reshape(v["shape"])
    state[k] = torch.from_numpy(arr.astype(np.float32) if arr.dtype == np.float16 else arr.copy())

depth = int(spec["arch"].split("resnet")[1].split("_")[0])
norm = torch.nn.BatchNorm2d if spec["norm"] == "batchnorm" else misc.FrozenBatchNorm2d
body = getattr(torchvision.models, f"resnet{depth}")(norm_layer=norm)
layers = spec["returnedLayers"]
channels = [64, 128, 256, 512] if depth < 50 else [256, 512, 1024, 2048]
backbone = BackboneWithFPN(body, {f"layer{k}": str(i) for i, k in enumerate(layers)}, [channels[k - 1] for k in layers],
                           spec["fpnChannels"], extra_blocks=LastLevelMaxPool())
rpn, heads = spec["rpn"], spec["heads"]
model = FasterRCNN(backbone, num_classes=spec["numClasses"], min_size=spec["minSize"], max_size=spec["maxSize"],
                   rpn_anchor_generator=AnchorGenerator(tuple((s,) for s in spec["anchorSizes"]), ((0.5, 1.0, 2.0),) * len(spec["anchorSizes"])),
                   box_roi_pool=MultiScaleRoIAlign([str(i) for i in range(len(layers))], 7, 2),
                   rpn_pre_nms_top_n_test=rpn["preNmsTopNTest"], rpn_post_nms_top_n_test=rpn["postNmsTopNTest"],
                   box_score_thresh=heads["scoreThresh"], box_detections_per_img=heads["detectionsPerImg"])
model.roi_heads.box_head = TwoMLPHead(spec["fpnChannels"] * 49, spec["representationSize"])
model.roi_heads.box_predictor = FastRCNNPredictor(spec["representationSize"], spec["numClasses"])
model.load_state_dict(state, strict=True)
model.eval()
with torch.no_grad():
    out = model([to_tensor(Image.open(sys.argv[2]).convert("RGB"))])[0]
print(json.dumps([{"box": b.tolist(), "label": int(l), "score": float(s)} for b, l, s in zip(out["boxes"], out["labels"], out["scores"])]))
