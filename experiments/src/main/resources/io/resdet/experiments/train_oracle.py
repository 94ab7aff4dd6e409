# Training oracle: the ResNet paper's CIFAR network (option-A shortcuts) or its plain twin in PyTorch, written from
# the paper (§4.2), trained on batches resdet drew and augmented, from resdet's initial weights. SGD with momentum
# 0.9 and weight decay 1e-4 on every parameter, BatchNorm with torch's defaults (momentum 0.1, eps 1e-5), cross
# entropy, the rate divided by 10 at 50% and 75% of the run, optionally the ResNet-110 warm-up (rate/10 until a
# minibatch's training error is below 80%, at most 400 iterations). It trains from resdet's weights exactly, then
# again from them perturbed at float-rounding scale (perturbed_runs times, each perturbation its own), which measures
# how far float noise alone moves the loss curve.
# It also builds the network with the paper's initialisation ([13], He et al. 2015, as the reference reproduction:
# N(0, 2/fan_in) for convolutions and the classifier weight) and reports each tensor's spread, for resdet's to be
# compared with.
# usage: train_oracle.py CONFIG_JSON OUT_JSON
import json, struct, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

cfg = json.load(open(sys.argv[1]))
torch.set_num_threads(int(cfg.get("threads", 1)))
depth, residual = cfg["depth"], cfg["residual"]


class ShortcutA(nn.Module):
    """Option A: subsample by the stride, new channels zero, split evenly before and after the existing ones."""

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
    def __init__(self, depth, in_channels, classes):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        cin = 16
        for i, w in enumerate([16, 32, 64]):
            blocks = []
            for b in range(n):
                blocks.append(Block(cin, w, 2 if (b == 0 and i > 0) else 1))
                cin = w
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.layer3(self.layer2(self.layer1(y)))
        return self.fc(y.mean((2, 3)))


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    types = {"F32": np.float32, "I64": np.int64, "F16": np.float16}
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(raw[8 + n + a:8 + n + b], dtype=types[v["dtype"]]).reshape(v["shape"]).copy())
    return out


def schedule(it, switched_at):
    lr = cfg["lr"]
    if cfg["warmup"] and (switched_at < 0 or it < switched_at):
        return lr / 10
    total = cfg["iterations"]
    return lr * 0.1 ** sum(1 for m in (total // 2, total * 3 // 4) if it >= m)


iters, batch, c = cfg["iterations"], cfg["batch"], cfg["in_channels"]
pixels = np.fromfile(cfg["pixels"], dtype=np.uint8).reshape(iters, batch, c, cfg["height"], cfg["width"])
labels = np.fromfile(cfg["labels"], dtype=np.int64).reshape(iters, batch)
mean = np.array(cfg["mean"], dtype=np.float32).reshape(1, c, 1, 1)
std = np.array(cfg["std"], dtype=np.float32).reshape(1, c, 1, 1)
initial = read_safetensors(cfg["weights"])


def train(perturb, run=0):
    torch.manual_seed(cfg["seed"] + 1000 * run)
    net = CifarNet(depth, c, cfg["classes"])
    net.load_state_dict(initial, strict=True)
    if perturb:
        with torch.no_grad():
            for p in net.parameters():
                p.mul_(1 + perturb * torch.randn_like(p))
    opt = torch.optim.SGD(net.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=1e-4)
    net.train()
    losses, errors, lrs = [], [], []
    switched_at = -1
    start = time.perf_counter()
    for it in range(iters):
        if cfg["warmup"] and switched_at < 0 and it >= 400:
            switched_at = 400
        lr = schedule(it, switched_at)
        for g in opt.param_groups:
            g["lr"] = lr
        x = torch.from_numpy((pixels[it].astype(np.float32) / np.float32(255) - mean) / std)
        y = torch.from_numpy(labels[it])
        logits = net(x)
        loss = F.cross_entropy(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        err = float((logits.argmax(1) != y).float().mean())
        if cfg["warmup"] and switched_at < 0 and err < 0.8:
            switched_at = it + 1
        losses.append(float(loss))
        errors.append(err)
        lrs.append(lr)
    return losses, errors, lrs, (time.perf_counter() - start) / iters


loss, error, lr, seconds = train(0.0)
perturbed = [train(cfg["perturb"], k + 1) for k in range(cfg["perturbed_runs"])]
torch.manual_seed(cfg["seed"])
fresh = CifarNet(depth, c, cfg["classes"])
init_std = {k: float(v.float().std()) for k, v in fresh.state_dict().items() if v.dtype == torch.float32 and v.numel() > 1}
init_mean = {k: float(v.float().mean()) for k, v in fresh.state_dict().items() if v.dtype == torch.float32 and v.numel() > 1}
json.dump({"torch": torch.__version__, "loss": loss, "error": error, "lr": lr, "seconds_per_iteration": seconds,
           "loss_perturbed": [p[0] for p in perturbed], "init_std": init_std, "init_mean": init_mean},
          open(sys.argv[2], "w"))
