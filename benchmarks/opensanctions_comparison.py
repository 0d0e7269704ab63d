"""Our matcher against OpenSanctions' on the same labelled pairs.

    .venv/bin/python benchmarks/opensanctions_comparison.py --nomenklatura-python PY [--algorithm logic-v2]

OpenSanctions screens with nomenklatura's matching algorithms (``logic-v2`` is the one its
API and yente offer by default; ``logic-v1`` and ``name-based`` are older ones). This scores
every pair of tests/screening/pairs.csv (per split) and tests/screening/written_by_others.csv
(per half; the ``sealed`` half is the honest figure, see benchmarks/screening_quality.py) with
`compare_names` at ``DEFAULT_THRESHOLD`` and with the nomenklatura algorithm comparing two
``Company`` entities that have one name each, and prints precision, recall and F1 of both:
nomenklatura's at 0.70 (its API's default match threshold) and at the threshold that suits it
best on that very set (in steps of 0.05: an upper bound no user of it gets, to be fair to it).

nomenklatura is not a dependency of auditor (it brings followthemoney, scikit-learn and a
newer SQLAlchemy): install it in a virtual environment of its own and name that Python::

    python3.11 -m venv /tmp/nk && /tmp/nk/bin/pip install nomenklatura==4.17.4
    .venv/bin/python benchmarks/opensanctions_comparison.py --nomenklatura-python /tmp/nk/bin/python

That interpreter runs this file with ``--score-only``: it reads JSON pairs on stdin and writes
nomenklatura's scores, one per pair, on stdout.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "screening" / "pairs.csv"
OTHERS = ROOT / "tests" / "screening" / "written_by_others.csv"
NOMENKLATURA_THRESHOLD = 0.70


def score_with_nomenklatura(algorithm: str) -> None:
    """``--score-only``: run by the nomenklatura interpreter."""
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algo = get_algorithm(algorithm)
    if algo is None:
        raise SystemExit(f"nomenklatura has no algorithm {algorithm!r}")
    config = algo.default_config()
    counter = iter(range(1 << 62))

    def company(name: str):  # type: ignore[no-untyped-def]
        entity = model.make_entity("Company")
        entity.id = f"e{next(counter)}"  # nomenklatura caches per entity id: one id per name
        entity.add("name", name)
        return entity

    pairs = json.load(sys.stdin)
    json.dump([algo.compare(company(a), company(b), config).score for a, b in pairs], sys.stdout)


def labelled_sets() -> dict[str, list[tuple[str, str, bool]]]:
    sets: dict[str, list[tuple[str, str, bool]]] = {}
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            sets.setdefault(f"pairs.csv {r['split']}", []).append((r["name_a"], r["name_b"], r["label"] == "1"))
    with OTHERS.open(encoding="utf-8", newline="") as handle:
        for r in csv.DictReader(handle):
            sets.setdefault(f"written_by_others.csv {r['half']}", []).append(
                (r["name_a"], r["name_b"], r["label"] == "1"))
    return sets


def figures(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels) if s < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nomenklatura-python", help="a Python with nomenklatura installed")
    parser.add_argument("--algorithm", default="logic-v2", help="nomenklatura algorithm (default logic-v2)")
    parser.add_argument("--score-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.score_only:
        score_with_nomenklatura(args.algorithm)
        return
    if not args.nomenklatura_python:
        parser.error("--nomenklatura-python is required (see the docstring for how to install it)")
    sys.path.insert(0, str(ROOT))
    from auditor.screening import DEFAULT_THRESHOLD, compare_names

    print(f"auditor compare_names at {DEFAULT_THRESHOLD:.2f} vs nomenklatura {args.algorithm} "
          f"at {NOMENKLATURA_THRESHOLD:.2f} and at its best threshold on each set")
    for name, rows in labelled_sets().items():
        labels = [y for _, _, y in rows]
        ours = [compare_names(a, b) for a, b, _ in rows]
        answer = subprocess.run(
            [args.nomenklatura_python, __file__, "--score-only", "--algorithm", args.algorithm],
            input=json.dumps([(a, b) for a, b, _ in rows]), capture_output=True, text=True, check=True)
        theirs = json.loads(answer.stdout)
        p, r, f = figures(ours, labels, DEFAULT_THRESHOLD)
        print(f"{name:32} pairs={len(rows):5}  auditor P={p:.3f} R={r:.3f} F1={f:.3f}")
        p, r, f = figures(theirs, labels, NOMENKLATURA_THRESHOLD)
        best_f, best_t = max((figures(theirs, labels, t / 100)[2], t / 100) for t in range(30, 100, 5))
        print(f"{'':32} {'':12} {args.algorithm} P={p:.3f} R={r:.3f} F1={f:.3f}   "
              f"best F1={best_f:.3f} at {best_t:.2f}")


if __name__ == "__main__":
    main()
