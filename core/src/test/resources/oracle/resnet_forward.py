# Oracle: a seeded torchvision classifier with randomised BN statistics, its state dict and its logits.
# usage: resnet_forward.py ARCH OUT_DIR SEED N H W [FORMAT]
import sys, torch, torchvision, numpy as np

arch, out, seed, n, h, w = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
fmt = sys.argv[7] if len(sys.argv) > 7 else "pth"
torch.manual_seed(seed)
model = getattr(torchvision.models, arch)()
with torch.no_grad():
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5)
            m.bias.normal_(0, 0.1)
model.eval()
x = torch.randn(n, 3, h, w)
with torch.no_grad():
    y = model(x)
    f = model.maxpool(model.relu(model.bn1(model.conv1(x))))
    feats = {"stem": f}
    for name in ["layer1", "layer2", "layer3", "layer4"]:
        f = getattr(model, name)(f)
        feats[name] = f
sd = model.state_dict()
if fmt == "pth":
    torch.save(sd, f"{out}/weights.pth")
else:
    np.savez(f"{out}/weights.npz", **{k: v.numpy() for k, v in sd.items()})
np.savez(f"{out}/io.npz", x=x.numpy(), y=y.numpy(), **{k: v.numpy() for k, v in feats.items()})
print(len(sd))
