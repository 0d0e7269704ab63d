"""Precision, recall and F1 of `compare_names` at `DEFAULT_THRESHOLD` on the labelled pairs.

    /work/venv/bin/python benchmarks/screening_quality.py [--sweep] [--errors]

The pairs (tests/screening/pairs.csv) come from the shared list files: a listed name and
its alias or the same party's entry on another list (positives), and different parties whose
names share words or look alike (negatives), plus a few hand-written native-script
(Chinese, Cyrillic) pairs. Each row has a fixed split: `tune` rows were used to choose the
threshold (`--sweep`), `holdout` rows were not.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.screening import DEFAULT_THRESHOLD, compare_names  # noqa: E402

PAIRS = ROOT / "tests" / "screening" / "pairs.csv"


@dataclass(frozen=True)
class Pair:
    id: int
    a: str
    b: str
    label: bool
    category: str
    split: str


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(int(r["id"]), r["name_a"], r["name_b"], r["label"] == "1", r["category"], r["split"])
            for r in csv.DictReader(handle)
        ]


def metrics(scored: list[tuple[Pair, float]], threshold: float) -> dict[str, float]:
    tp = sum(1 for p, s in scored if p.label and s >= threshold)
    fp = sum(1 for p, s in scored if not p.label and s >= threshold)
    fn = sum(1 for p, s in scored if p.label and s < threshold)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(scored), "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "f1": f1}


def _line(name: str, m: dict[str, float]) -> str:
    if m["tp"] + m["fn"] == 0:  # negatives only: precision/recall say nothing
        return f"{name:<28} pairs={m['pairs']:>4} (all negative) false positives={m['fp']}"
    return (f"{name:<28} pairs={m['pairs']:>4} tp={m['tp']:>4} fp={m['fp']:>3} fn={m['fn']:>3} "
            f"precision={m['precision']:.3f} recall={m['recall']:.3f} F1={m['f1']:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="F1 on the tune split per threshold")
    parser.add_argument("--errors", action="store_true", help="list misclassified pairs")
    args = parser.parse_args(argv)

    pairs = load_pairs()
    scored = [(p, compare_names(p.a, p.b)) for p in pairs]
    print(f"compare_names at DEFAULT_THRESHOLD={DEFAULT_THRESHOLD} on {PAIRS.relative_to(ROOT)}")
    print(_line("all", metrics(scored, DEFAULT_THRESHOLD)))
    for split in ("tune", "holdout"):
        print(_line(f"split={split}", metrics([x for x in scored if x[0].split == split], DEFAULT_THRESHOLD)))
    by_category: dict[str, list[tuple[Pair, float]]] = defaultdict(list)
    for item in scored:
        by_category[item[0].category].append(item)
    for category in sorted(by_category):
        print(_line(f"category={category}", metrics(by_category[category], DEFAULT_THRESHOLD)))
    if args.sweep:
        tune = [x for x in scored if x[0].split == "tune"]
        print("threshold sweep on the tune split:")
        for step in range(50, 100, 5):
            t = step / 100
            print(_line(f"  threshold={t:.2f}", metrics(tune, t)))
    if args.errors:
        print("misclassified pairs:")
        for p, s in sorted(scored, key=lambda x: x[0].id):
            if p.label != (s >= DEFAULT_THRESHOLD):
                kind = "FN" if p.label else "FP"
                print(f"  {kind} {s:.3f} [{p.category}] {p.a!r} | {p.b!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
