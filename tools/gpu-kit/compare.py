"""Compares two `resdet detect` outputs (JSON lines) box by box: python3 compare.py A B TITLE MIN_IOU.

Per image, detections of the same label are paired greedily by IoU (best pairs first). Prints one line: images,
detections on each side, pairs, the worst IoU, the largest score and coordinate differences, and PASS when every
detection has a partner with IoU >= MIN_IOU, else DIFF. Standard library only (the device's Python is enough).
"""
import json
import sys


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                out[(r["image"], r.get("frame"))] = r["detections"]
    return out


def iou(a, b):
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def main():
    a_path, b_path, title, min_iou = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    a, b = load(a_path), load(b_path)
    if not a or set(a) != set(b):
        print(f"{title}: DIFF: images differ ({len(a)} vs {len(b)} images)")
        return 1
    n_a = n_b = pairs = 0
    worst, dscore, dcoord = 1.0, 0.0, 0.0
    for key in sorted(a, key=str):
        da, db = a[key], b[key]
        n_a += len(da)
        n_b += len(db)
        cands = sorted(((iou(x["box"], y["box"]), i, j) for i, x in enumerate(da) for j, y in enumerate(db)
                        if x["label"] == y["label"]), reverse=True)
        used_a, used_b = set(), set()
        for v, i, j in cands:
            if i in used_a or j in used_b or v <= 0:
                continue
            used_a.add(i)
            used_b.add(j)
            pairs += 1
            worst = min(worst, v)
            dscore = max(dscore, abs(da[i]["score"] - db[j]["score"]))
            dcoord = max(dcoord, max(abs(p - q) for p, q in zip(da[i]["box"], db[j]["box"])))
    ok = pairs == n_a == n_b and worst >= min_iou
    print(f"{title}: {'PASS' if ok else 'DIFF'}: {len(a)} images, {n_a} vs {n_b} detections, {pairs} paired, "
          f"worst IoU {worst:.4f}, max |score diff| {dscore:.4f}, max |coordinate diff| {dcoord:.2f} px")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
