"""Speed of screening: 20,000 distinct names against every entry of the shared lists.

    .venv/bin/python benchmarks/screening_speed.py [--names 20000] [--seed 7] [--growth] [--dump FILE]

Loads the CSL (csl_2023-11_partial.csv), OFAC SDN 2019 with the 2025 alternate names,
the DoD 1260H list and the FCC Covered List from the shared data directory (AUDITOR_SHARED_DIR, else
<repo>/../shared, else /work/shared) with the product's importers, adds the bundled curated
list, builds the index (`Screener`), stores it and loads it back as `auditor lists import`
and every later run do (``screening/index_store.py``), and screens generated company-name
queries with the loaded index: about 10% are listed names in altered spellings, the rest
realistic unlisted names. Prints build, store and load times, screening time (wall and
CPU, the workers' included: ``screen_many`` screens a batch this big on every CPU), names
per second, and the two totals the targets are about: screening with an
existing index (load + screen) and including the build. ``--growth`` repeats build and
screening on a quarter and a half of the entries, to show how time grows with list size.
``--dump FILE`` writes every name's matches (``Match.to_dict``, one JSON line per name, in
order): a change meant only to be faster must leave this file byte-for-byte the same
(`cmp` the files written before and after it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.refdata.curated import load_curated  # noqa: E402
from auditor.refdata.entities import ListEntry  # noqa: E402
from auditor.refdata.importers import IMPORTERS  # noqa: E402
from auditor.refdata.lists_source import merge_alternate_names  # noqa: E402
from auditor.screening import Screener  # noqa: E402
from auditor.screening.index_store import index_key, load, store  # noqa: E402


def shared_lists_dir() -> Path | None:
    candidates = []
    if os.environ.get("AUDITOR_SHARED_DIR"):
        candidates.append(Path(os.environ["AUDITOR_SHARED_DIR"]))
    candidates += [ROOT.parent / "shared", Path("/work/shared")]
    for base in candidates:
        if (base / "data" / "lists").is_dir():
            return base / "data" / "lists"
    return None


def load_entries(lists: Path) -> list[ListEntry]:
    """Every entry of the shared lists, read by the product's importers, plus the bundled
    curated list (what `auditor screen` uses once the files are imported)."""
    csl = IMPORTERS["csl-csv"].parse(lists / "csl_2023-11_partial.csv").entries
    sdn = IMPORTERS["ofac-sdn"].parse(lists / "ofac_sdn_2019.csv").entries
    alternates = IMPORTERS["ofac-alt"].parse(lists / "ofac_alt_2025.csv").entries
    dod = IMPORTERS["dod-1260h"].parse(lists / "dod_1260h.csv").entries
    fcc = IMPORTERS["fcc-covered"].parse(lists / "fcc_covered_list.csv").entries
    merged, leftovers, _ = merge_alternate_names(sdn, alternates)
    curated, _ = load_curated()
    return [*csl, *merged, *leftovers, *dod, *fcc, *curated]


_SYLLABLES = ("ka lu vex tor min zen ri sol bel tek nor vi ta ro max qi an hua xin da "
              "fei long jin bo mei rus ko tra lin gar sen po li mar cor dex hel ion fu").split()
_GENERIC = ("Technology Technologies Electronics Trading International Industrial Group Holding "
            "Logistics Semiconductor Mining Energy Systems Solutions Digital Power Supply").split()
_PLACES = ("Shenzhen Beijing Shanghai Hong Kong Singapore Dubai Moscow Almaty Hangzhou "
           "Chengdu Texas Nordic Baltic").split()
_LEGAL = ("Co., Ltd.", "Ltd", "LLC", "Inc.", "Corp.", "GmbH", "Pte. Ltd.", "JSC", "OOO", "Limited", "S.A.")


def _brand(rnd: random.Random) -> str:
    return "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()


def _variant(name: str, rnd: random.Random) -> str:
    """A listed name as a supplier field might spell it."""
    words = name.split()
    change = rnd.randrange(4)
    if change == 0:
        return name.upper()
    if change == 1 and len(words) > 1:
        return " ".join(words[:-1]) + " " + rnd.choice(_LEGAL)
    if change == 2 and len(name) > 6:
        i = rnd.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1 :]  # a typo: one character lost
    return name.title()


def make_queries(entries: list[ListEntry], count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    listed = [e.name for e in entries if e.name]
    queries: set[str] = set()
    while len(queries) < count // 10:
        queries.add(_variant(rnd.choice(listed), rnd))
    while len(queries) < count:
        parts = []
        if rnd.random() < 0.5:
            parts.append(rnd.choice(_PLACES))
        parts.append(_brand(rnd))
        if rnd.random() < 0.3:
            parts.append(_brand(rnd))
        parts += rnd.sample(_GENERIC, rnd.randint(0, 2))
        parts.append(rnd.choice(_LEGAL))
        queries.add(" ".join(parts))
    return sorted(queries)


def _cpu() -> float:
    """CPU time of this process and of its finished children (screen_many's workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(fn):
    wall, cpu = time.perf_counter(), _cpu()
    value = fn()
    return value, time.perf_counter() - wall, _cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--growth", action="store_true", help="also measure 1/4 and 1/2 of the entries")
    parser.add_argument("--dump", type=Path, help="write every name's matches here (JSON lines)")
    args = parser.parse_args(argv)
    lists = shared_lists_dir()
    if lists is None:
        print("shared list files not found (set AUDITOR_SHARED_DIR); nothing measured")
        return 2

    entries, load_wall, _ = _timed(lambda: load_entries(lists))
    queries = make_queries(entries, args.names, args.seed)
    as_of = date(2026, 1, 1)
    print(f"lists: {lists}")
    print(f"entries: {len(entries)}  read with the importers in {load_wall:.2f} s (wall)")

    def measure(part: list[ListEntry], label: str) -> None:
        built, build_wall, build_cpu = _timed(lambda: Screener(part))
        with tempfile.TemporaryDirectory() as tmp:
            key = index_key([label])
            path, store_wall, _ = _timed(lambda: store(Path(tmp), key, built))
            size = path.stat().st_size
            loaded, load_wall, load_cpu = _timed(lambda: load(path, key))
        results, screen_wall, screen_cpu = _timed(lambda: loaded.screen_many(queries, as_of))
        hits = sum(1 for matches in results.values() if matches)
        if args.dump and label == "all":
            with args.dump.open("w", encoding="utf-8") as out:
                for name, matches in results.items():
                    out.write(json.dumps([name, [m.to_dict() for m in matches]], ensure_ascii=False) + "\n")
        print(f"[{label}] {len(part)} entries, {len(built)} names and aliases indexed")
        print(f"  build {build_wall:.2f} s wall ({build_cpu:.2f} s CPU); store {store_wall:.2f} s, "
              f"{size / 1e6:.1f} MB; load {load_wall:.2f} s wall ({load_cpu:.2f} s CPU)")
        print(f"  screened {len(results)} distinct names in {screen_wall:.2f} s wall ({screen_cpu:.2f} s CPU): "
              f"{len(results) / screen_wall:,.0f} names/s, {1000 * screen_cpu / len(results):.3f} ms CPU/name "
              f"({hits} names with at least one match)")
        existing = load_wall + screen_wall
        total = build_wall + store_wall + screen_wall
        print(f"  with the stored index (load + screen): {existing:.2f} s wall, {load_cpu + screen_cpu:.2f} s CPU; "
              f"including the build (build + store + screen): {total:.2f} s wall, {build_cpu + screen_cpu:.2f} s CPU")
        if label == "all":
            print(f"  targets for {args.names:,} names: <= 2 s with the index -> "
                  f"{'met' if existing <= 2 else 'NOT met'}; <= 5 s including the build -> "
                  f"{'met' if total <= 5 else 'NOT met'} (wall time includes any wait for a CPU "
                  "held by other processes; CPU time does not)")

    if args.growth:
        rnd = random.Random(args.seed)
        shuffled = entries[:]
        rnd.shuffle(shuffled)
        for share in (4, 2):
            measure(shuffled[: len(entries) // share], f"1/{share}")
    measure(entries, "all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
