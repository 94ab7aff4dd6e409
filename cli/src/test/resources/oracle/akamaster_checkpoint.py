# Oracle for published CIFAR checkpoints: a CIFAR ResNet in the layout of akamaster/pytorch_resnet_cifar10 (the most
# used reproduction of the paper's CIFAR networks), written here from that layout: conv1, bn1, layer1..3 of blocks
# (conv1, bn1, conv2, bn2, a parameter-free option-A `shortcut`), and the classifier named `linear`. Saved as that
# project's trainer saves it: torch.save({'state_dict': DataParallel(model).state_dict(), 'best_prec1': ...}), in the
# legacy and in the zip serialisation. Also 32x32 PNG images and the logits the model gives them with that project's
# preprocessing (ToTensor, then ImageNet's mean and std).
# usage: akamaster_checkpoint.py DEPTH OUT_DIR SEED
import sys, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image
from torchvision import transforms

depth, out, seed = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
torch.manual_seed(seed)
rng = np.random.default_rng(seed)


class Lambda(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.f = f

    def forward(self, x):
        return self.f(x)


class Block(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != planes:
            self.shortcut = Lambda(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4)))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + self.shortcut(x))


class Net(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        for i, (planes, stride) in enumerate([(16, 1), (32, 2), (64, 2)]):
            blocks = []
            for s in [stride] + [1] * (n - 1):
                blocks.append(Block(cin, planes, s))
                cin = planes
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.linear = nn.Linear(64, 10)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.layer3(self.layer2(self.layer1(y)))
        return self.linear(F.avg_pool2d(y, y.size()[3]).view(y.size(0), -1))


net = Net((depth - 2) // 6)
with torch.no_grad():
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
    net.linear.weight.mul_(5)
model = torch.nn.DataParallel(net)
model.eval()
state = {"state_dict": model.state_dict(), "best_prec1": 91.73}
torch.save(state, f"{out}/resnet{depth}-legacy.th", _use_new_zipfile_serialization=False)
torch.save(state, f"{out}/resnet{depth}-zip.th")
t = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
logits = {}
for i in range(3):
    img = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    Image.fromarray(img).save(f"{out}/img{i}.png")
    with torch.no_grad():
        logits[f"img{i}"] = model(t(Image.open(f"{out}/img{i}.png").convert("RGB"))[None])[0].numpy()
np.savez(f"{out}/logits.npz", **logits)
print(" ".join(model.state_dict().keys()))
