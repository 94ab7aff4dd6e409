# Oracle: the ResNet paper's CIFAR network (option-A shortcuts) or its plain twin in PyTorch, written from the
# paper (torchvision has none), and two SGD steps of it (momentum 0.9, weight decay 1e-4, lr 0.1) in training
# mode. Saves the initial weights, the batch, logits, losses, all first-step gradients and the eval-mode logits
# after both steps (they depend on the BatchNorm running statistics).
# usage: cifar_resnet_steps.py DEPTH resnet|plain OUT_DIR SEED
import sys, numpy as np, torch, torch.nn as nn, torch.nn.functional as F

depth, kind, out, seed = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
residual = kind == "resnet"
torch.manual_seed(seed)


class ShortcutA(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride, self.before, self.after = stride, (cout - cin) // 2, cout - cin - (cout - cin) // 2

    def forward(self, x):
        if self.stride > 1:
            x = x[:, :, ::self.stride, ::self.stride]
        return F.pad(x, (0, 0, 0, 0, self.before, self.after))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = ShortcutA(cin, cout, stride) if (stride != 1 or cin != cout) else nn.Identity()

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + self.shortcut(x) if residual else y)


class CifarNet(nn.Module):
    def __init__(self, depth):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        for i, w in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(Block(cin, w, 2 if (b == 0 and i > 0) else 1))
                cin = w
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.layer3(self.layer2(self.layer1(y)))
        return self.fc(y.mean((2, 3)))


net = CifarNet(depth)
with torch.no_grad():
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.weight.uniform_(0.5, 1.5); m.bias.normal_(0, 0.1)
            m.running_mean.normal_(0, 0.1); m.running_var.uniform_(0.5, 1.5)
torch.save(net.state_dict(), f"{out}/weights.pth")

x = torch.randn(8, 3, 32, 32)
y = torch.randint(0, 10, (8,))
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
net.train()
saved = {"x": x.numpy(), "y": y.numpy()}
for step in (1, 2):
    logits = net(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    saved[f"logits{step}"], saved[f"loss{step}"] = logits.detach().numpy(), loss.detach().numpy()
    if step == 1:
        for name, p in net.named_parameters():
            saved["grad/" + name] = p.grad.numpy().copy()
    opt.step()
    opt.zero_grad()
net.eval()
with torch.no_grad():
    saved["eval_logits"] = net(x).numpy()
np.savez(f"{out}/expected.npz", **saved)
