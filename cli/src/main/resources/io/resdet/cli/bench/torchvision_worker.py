# Benchmark peer: times torchvision forwards on request so resdet and torchvision alternate in one run.
# Protocol (stdin/stdout, one line each): "load ARCH THREADS" -> "ok"; "run N C H W" -> "<seconds>"; "quit".
import sys, time, torch, torchvision

model = None
for line in sys.stdin:
    cmd = line.split()
    if not cmd:
        continue
    if cmd[0] == "load":
        torch.set_num_threads(int(cmd[2]))
        torch.manual_seed(0)
        model = getattr(torchvision.models, cmd[1])().eval()
        print("ok", flush=True)
    elif cmd[0] == "run":
        x = torch.randn(*[int(v) for v in cmd[1:5]])
        with torch.no_grad():
            t0 = time.perf_counter()
            model(x)
            dt = time.perf_counter() - t0
        print(f"{dt:.6f}", flush=True)
    elif cmd[0] == "quit":
        break
