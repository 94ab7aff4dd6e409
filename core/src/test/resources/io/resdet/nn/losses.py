# Oracle for resdet's losses: torch's values and input gradients on fixed inputs that straddle smooth-L1's beta
# and include large logits. Prints JSON.
import json, torch
import torch.nn.functional as F
x = torch.tensor([[0.0, 0.05, -0.2, 3.0], [0.111, -0.112, 1e-4, -7.5]], requires_grad=True)
y = torch.tensor([[0.1, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, -7.4]])
s = F.smooth_l1_loss(x, y, beta=1 / 9, reduction="sum")
s.backward()
logits = torch.tensor([0.0, 2.5, -3.0, 40.0, -40.0, 0.7], requires_grad=True)
labels = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
b = F.binary_cross_entropy_with_logits(logits, labels)
b.backward()
cls = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-5.0, 5.0, 0.0]], requires_grad=True)
target = torch.tensor([0, 2, 1])
c = F.cross_entropy(cls, target)
c.backward()
print(json.dumps({"smooth_l1": s.item(), "smooth_l1_grad": x.grad.flatten().tolist(),
                  "bce": b.item(), "bce_grad": logits.grad.tolist(),
                  "ce": c.item(), "ce_grad": cls.grad.flatten().tolist()}))
