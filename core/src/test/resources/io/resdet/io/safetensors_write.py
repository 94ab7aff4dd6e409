# Writes the all_dtypes.py tensors as safetensors by hand: header in state-dict order, data in reverse order
# (the format allows any order), metadata {"format": "pt"}. Prints the expected contents like all_dtypes.py.
# usage: safetensors_write.py OUT.safetensors ALL_DTYPES.pth
import json, struct, sys
import torch

NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
         torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}
sd = torch.load(sys.argv[2])

def raw(t):
    return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()

offsets, pos = {}, 0
for k in reversed(list(sd.keys())):
    offsets[k] = [pos, pos + len(raw(sd[k]))]
    pos += len(raw(sd[k]))
header = {"__metadata__": {"format": "pt"}}
for k, t in sd.items():
    header[k] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": offsets[k]}
h = json.dumps(header).encode("utf-8")
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for k in reversed(list(sd.keys())):
        f.write(raw(sd[k]))

def values(t):
    flat = t.reshape(-1)
    return (flat.float() if t.dtype in (torch.float16, torch.bfloat16) else flat).tolist()

print(json.dumps({k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                      "hex": raw(t).hex(), "values": values(t)} for k, t in sd.items()}))
