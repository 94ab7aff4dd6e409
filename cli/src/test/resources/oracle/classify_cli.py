# Oracle for `resdet classify`: a seeded classifier saved with torch.save, PNG images, torchvision's logits.
# usage: classify_cli.py ARCH OUT_DIR SEED
import sys, numpy as np, torch, torchvision
from PIL import Image
from torchvision import transforms

arch, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.manual_seed(seed)
rng = np.random.default_rng(seed)
model = getattr(torchvision.models, arch)()
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
    model.fc.weight.mul_(20)  # decisive scores, so the top-k order is meaningful
model.eval()
torch.save(model.state_dict(), f"{out}/weights.pth")
t = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
logits = {}
for i, (h, w) in enumerate([(300, 451), (257, 256), (640, 480)]):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.clip(np.stack([np.sin(xx / (7 + i)) * 100 + 128, np.cos(yy / 9.0) * 90 + 120, (xx + yy) % 256], -1)
                  + rng.normal(0, 20, (h, w, 3)), 0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{out}/img{i}.png")
    with torch.no_grad():
        logits[f"img{i}"] = model(t(Image.open(f"{out}/img{i}.png").convert("RGB"))[None])[0].numpy()
np.savez(f"{out}/logits.npz", **logits)
print("ok")
