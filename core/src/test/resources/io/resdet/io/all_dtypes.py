# Writes a state dict with every dtype and view kind the readers must handle, and prints the expected
# contents as JSON: {key: {dtype, shape, hex (contiguous little-endian bytes), values (flattened)}}.
# usage: all_dtypes.py OUT zip|legacy PICKLE_PROTOCOL
import collections, json, sys
import torch

out, fmt, proto = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.manual_seed(0)
base = torch.randn(4, 5)
sd = collections.OrderedDict()
sd["f32"] = torch.randn(2, 3)
sd["f16"] = torch.randn(3, 2).half()
sd["bf16"] = torch.randn(5).bfloat16()
sd["f64"] = torch.randn(2, 2, dtype=torch.float64)
sd["i64"] = torch.randint(-2**40, 2**40, (3,), dtype=torch.int64)
sd["i32"] = torch.randint(-2**31, 2**31 - 1, (2, 2), dtype=torch.int32)
sd["i16"] = torch.randint(-2**15, 2**15 - 1, (4,), dtype=torch.int16)
sd["i8"] = torch.randint(-128, 127, (4,), dtype=torch.int8)
sd["u8"] = torch.randint(0, 255, (2, 3), dtype=torch.uint8)
sd["bool"] = torch.rand(6) > 0.5
sd["scalar"] = torch.tensor(3.25)
sd["empty"] = torch.zeros(0, 3)
sd["transposed"] = base.t()            # stride (1, 5): shares base's storage
sd["base"] = base
sd["slice"] = base[1:3, 2:]            # storage offset 7, non-contiguous
sd["row"] = base[2]                    # storage offset 10, contiguous
sd["permuted"] = torch.randn(2, 3, 4).permute(2, 0, 1)
sd["expanded"] = torch.randn(3, 1).expand(3, 4)  # stride 0
sd["bn.num_batches_tracked"] = torch.tensor(7)

assert sd["transposed"].storage().data_ptr() == sd["base"].storage().data_ptr()
assert sd["slice"].storage_offset() == 7 and not sd["slice"].is_contiguous()

if fmt == "zip":
    torch.save(sd, out, pickle_protocol=proto)
else:
    torch.save(sd, out, _use_new_zipfile_serialization=False, pickle_protocol=proto)

def raw(t):
    return t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes().hex()

def values(t):
    flat = t.reshape(-1)
    if t.dtype in (torch.float16, torch.bfloat16):
        flat = flat.float()
    return flat.tolist()

print(json.dumps({k: {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
                      "hex": raw(t), "values": values(t)} for k, t in sd.items()}))
