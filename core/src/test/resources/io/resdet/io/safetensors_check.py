# Reads a safetensors file with a hand-written reader (the safetensors package is not installed) and checks it
# against a torch checkpoint holding the same tensors. Prints the header's __metadata__ as JSON.
# usage: safetensors_check.py FILE.safetensors REFERENCE.pth
import json, struct, sys
import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}

blob = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", blob[:8])
assert (8 + n) % 8 == 0, "data start not 8-byte aligned: %d" % (8 + n)
header = json.loads(blob[8:8 + n].decode("utf-8"))
data = blob[8 + n:]
meta = header.pop("__metadata__", {})
spans = sorted(tuple(v["data_offsets"]) for v in header.values())
pos = 0
for b, e in spans:  # the rules the safetensors library enforces: no gaps, no overlaps, all bytes used
    assert b == pos, "gap or overlap at %d" % b
    pos = e
assert pos == len(data), "data has %d bytes, tensors cover %d" % (len(data), pos)

ref = torch.load(sys.argv[2])
assert list(header.keys()) == list(ref.keys()), (list(header.keys()), list(ref.keys()))
for k, info in header.items():
    dtype = DTYPES[info["dtype"]]
    b, e = info["data_offsets"]
    if e > b:
        t = torch.frombuffer(bytearray(data[b:e]), dtype=dtype).reshape(info["shape"])
    else:
        t = torch.empty(info["shape"], dtype=dtype)
    r = ref[k]
    assert t.dtype == r.dtype and t.shape == r.shape, (k, t.dtype, r.dtype, t.shape, r.shape)
    assert torch.equal(t.reshape(-1).view(torch.uint8), r.contiguous().reshape(-1).view(torch.uint8)), k
print(json.dumps(meta))
