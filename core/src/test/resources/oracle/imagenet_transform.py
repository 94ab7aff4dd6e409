# Oracle: PNG images of odd sizes/modes and torchvision's ImageNet eval transform applied to them.
# usage: imagenet_transform.py OUT_DIR SEED
import sys, numpy as np, torch
from PIL import Image
from torchvision import transforms

out, seed = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(seed)
t = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
cases = {"wide_rgb": ((333, 517), "RGB"), "tall_rgb": ((401, 259), "RGB"), "gray": ((300, 300), "L"),
         "rgba": ((250, 380), "RGBA"), "small": ((120, 90), "RGB"), "big": ((1000, 1500), "RGB")}
arrays = {}
for name, ((h, w), mode) in cases.items():
    ch = {"RGB": 3, "L": 1, "RGBA": 4}[mode]
    # smooth gradients plus noise so both interpolation and rounding are exercised
    yy, xx = np.mgrid[0:h, 0:w]
    base = (np.sin(xx / 17.0)[..., None] * 90 + np.cos(yy / 11.0)[..., None] * 60 + 128)
    img = np.clip(base + rng.normal(0, 25, (h, w, ch)), 0, 255).astype(np.uint8)
    pil = Image.fromarray(img[..., 0] if ch == 1 else img, mode)
    pil.save(f"{out}/{name}.png")
    arrays[name] = t(pil.convert("RGB")).numpy()
np.savez(f"{out}/expected.npz", **arrays)
print(len(arrays))
