"""Speed of screening: 20,000 distinct names against every entry of the shared lists.

    .venv/bin/python benchmarks/screening_speed.py [--names 20000] [--seed 7] [--growth]
        [--dump FILE] [--runs 3] [--cli]

Loads the CSL (csl_2023-11_partial.csv), OFAC SDN 2019 with the 2025 alternate names,
the DoD 1260H list and the FCC Covered List from the shared data directory (AUDITOR_SHARED_DIR, else
<repo>/../shared, else /work/shared) with the product's importers, adds the bundled curated
list, builds the index (`Screener`) and stores it as `auditor lists import` does
(``screening/index_store.py``). Generated company-name queries are then screened the way
a user's run does it: by a **new process** that reads the stored index from disk and
screens them all with ``screen_many`` (nothing warm from the build: every cache of the
normaliser and the index starts empty), ``--runs`` times. About 10% of the queries are
listed names in altered spellings, the rest realistic unlisted names.

Prints the build and store times, and for each run the fresh process's index load and
screening time (wall and CPU, the workers' included: ``screen_many`` screens a batch this
big on every CPU), CPU ms per name and the total the targets are about: with the stored
index (load + screen) and including the build (build + store + load + screen). Wall time
includes any wait for a CPU held by other processes, CPU time does not: quote both.
``--growth`` repeats build and screening on a quarter and a half of the entries, to show how
time grows with list size. ``--cli`` also imports the same list files into a temporary
SQLite store with `auditor lists import` and times `auditor screen --file NAMES --json`
(what a user runs; its time includes starting Python, imports, reading the store and
writing the JSON). ``--dump FILE`` writes every name's matches (``Match.to_dict``, one JSON
line per name, in order): a change meant only to be faster must leave this file
byte-for-byte the same (`cmp` the files written before and after it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The source in this repository, or with --installed the package as installed (`pip
# install .` compiles the screening core with mypyc: what users run).
INSTALLED = "--installed" in sys.argv
if not INSTALLED:
    sys.path.insert(0, str(ROOT))

from auditor.refdata.curated import load_curated  # noqa: E402
from auditor.refdata.entities import ListEntry  # noqa: E402
from auditor.refdata.importers import IMPORTERS  # noqa: E402
from auditor.refdata.lists_source import screening_entries  # noqa: E402
from auditor.screening import Screener  # noqa: E402
from auditor.screening import screener as screener_module  # noqa: E402
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


# The list files screened against, in the order `auditor lists import` takes them.
LIST_FILES = ("csl_2023-11_partial.csv", "ofac_sdn_2019.csv", "ofac_alt_2025.csv", "dod_1260h.csv",
              "fcc_covered_list.csv")
AS_OF = date(2026, 1, 1)


def load_entries(lists: Path) -> list[ListEntry]:
    """Every entry of the shared lists, read by the product's importers, plus the bundled
    curated list, put together as `auditor screen` does once the files are imported."""
    importers = [IMPORTERS[k] for k in ("csl-csv", "ofac-sdn", "ofac-alt", "dod-1260h", "fcc-covered")]
    curated, _ = load_curated()
    return screening_entries(((i.slot, i.parse(lists / f).entries) for i, f in zip(importers, LIST_FILES)), curated)


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
    """CPU time of this process and of its children that have been waited for (screen_many's
    worker, the build's)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(fn):
    wall, cpu = time.perf_counter(), _cpu()
    value = fn()
    wall = time.perf_counter() - wall
    # screen_many does not wait for its worker to exit once it has sent its results: waited
    # for here, after the wall time, so that its CPU time is counted.
    for worker in multiprocessing.active_children():
        worker.join()
    return value, wall, _cpu() - cpu


def screen_stored(path: Path, key: str, queries: Path, as_of: date, dump: Path | None) -> dict[str, float]:
    """In this (new) process: read the stored index and screen the names in ``queries``."""
    names = queries.read_text(encoding="utf-8").splitlines()
    loaded, load_wall, load_cpu = _timed(lambda: load(path, key))
    assert loaded is not None, f"{path}: no index for {key}"
    results, screen_wall, screen_cpu = _timed(lambda: loaded.screen_many(names, as_of))
    if dump:
        with dump.open("w", encoding="utf-8") as out:
            for name, matches in results.items():
                out.write(json.dumps([name, [m.to_dict() for m in matches]], ensure_ascii=False) + "\n")
    return {"load_wall": load_wall, "load_cpu": load_cpu, "screen_wall": screen_wall, "screen_cpu": screen_cpu,
            "names": len(results), "hits": sum(1 for matches in results.values() if matches)}


def screen_in_new_process(path: Path, key: str, queries: Path, dump: Path | None) -> dict[str, float]:
    command = [sys.executable, __file__, "--screen-stored", str(path), "--key", key, "--queries", str(queries)]
    if INSTALLED:
        command.append("--installed")
    if dump:
        command += ["--dump", str(dump)]
    wall = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    figures = json.loads(proc.stdout)
    figures["process_wall"] = time.perf_counter() - wall  # interpreter start and imports included
    return figures


def _cli_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_cli(lists: Path, queries: Path, runs: int) -> None:
    """`auditor lists import` the benchmark's list files into a new SQLite store (each
    import builds and stores the index), then time `auditor screen --file --json`."""
    auditor = [sys.executable, "-m", "auditor"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "AUDITOR_DB": f"sqlite:///{tmp}/lists.db"}
        env.pop("AUDITOR_INDEX_DIR", None)
        for name in LIST_FILES:
            subprocess.run([*auditor, "lists", "import", str(lists / name), "--retrieved", "2025-12-01"],
                           env=env, check=True, capture_output=True, cwd=tmp if INSTALLED else None)
        print(f"[cli] `auditor screen --file NAMES --json --as-of 2026-01-01` against {', '.join(LIST_FILES)} "
              "imported into a new SQLite store (index stored by the imports):")
        for _ in range(runs):
            wall, cpu = time.perf_counter(), _cli_cpu()
            proc = subprocess.run([*auditor, "screen", "--file", str(queries), "--json", "--as-of", "2026-01-01"],
                                  env=env, capture_output=True, cwd=tmp if INSTALLED else None)
            wall, cpu = time.perf_counter() - wall, _cli_cpu() - cpu
            assert proc.returncode in (0, 1), proc.stderr.decode()
            print(f"  {wall:.2f} s wall, {cpu:.2f} s CPU ({len(proc.stdout) / 1e6:.1f} MB of JSON)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--growth", action="store_true", help="also measure 1/4 and 1/2 of the entries")
    parser.add_argument("--dump", type=Path, help="write every name's matches here (JSON lines)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes screening the names, per list size")
    parser.add_argument("--cli", action="store_true", help="also time `auditor screen --file` on imported lists")
    parser.add_argument("--installed", action="store_true",
                        help="measure the installed package (compiled by `pip install .`), not this source")
    # The new process that reads a stored index and screens (started by this script).
    parser.add_argument("--screen-stored", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.screen_stored:
        print(json.dumps(screen_stored(args.screen_stored, args.key, args.queries, AS_OF, args.dump)))
        return 0
    lists = shared_lists_dir()
    if lists is None:
        print("shared list files not found (set AUDITOR_SHARED_DIR); nothing measured")
        return 2

    entries, load_wall, _ = _timed(lambda: load_entries(lists))
    queries = make_queries(entries, args.names, args.seed)
    print(f"lists: {lists}")
    core = screener_module.__file__ or ""
    print(f"screening core: {core} ({'compiled by mypyc' if core.endswith('.so') else 'plain Python'})")
    print(f"entries: {len(entries)}  read with the importers in {load_wall:.2f} s (wall)")

    def measure(part: list[ListEntry], label: str, tmp: Path) -> None:
        built, build_wall, build_cpu = _timed(lambda: Screener(part))
        key = index_key([label])
        path, store_wall, _ = _timed(lambda: store(tmp / label.replace("/", "-"), key, built))
        print(f"[{label}] {len(part)} entries, {len(built)} names and aliases indexed")
        print(f"  build {build_wall:.2f} s wall ({build_cpu:.2f} s CPU); store {store_wall:.2f} s, "
              f"{path.stat().st_size / 1e6:.1f} MB")
        print(f"  a new process reads the stored index and screens {len(queries):,} distinct names:")
        for run in range(args.runs):
            dump = args.dump if label == "all" and run == 0 else None
            f = screen_in_new_process(path, key, tmp / "queries.txt", dump)
            existing = f["load_wall"] + f["screen_wall"]
            total = build_wall + store_wall + existing
            print(f"  load {f['load_wall']:.2f} s wall ({f['load_cpu']:.2f} s CPU), screen {f['screen_wall']:.2f} s "
                  f"wall ({f['screen_cpu']:.2f} s CPU), {1000 * f['screen_cpu'] / f['names']:.3f} ms CPU/name: "
                  f"load + screen {existing:.2f} s wall ({f['load_cpu'] + f['screen_cpu']:.2f} s CPU); "
                  f"with the build {total:.2f} s; whole process {f['process_wall']:.2f} s ({f['hits']} names matched)")
            if label == "all":
                print(f"    targets for {args.names:,} names: <= 2 s with the index -> "
                      f"{'met' if existing <= 2 else 'NOT met'}; <= 5 s including the build -> "
                      f"{'met' if total <= 5 else 'NOT met'}")

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "queries.txt").write_text("\n".join(queries) + "\n", encoding="utf-8")
        if args.growth:
            rnd = random.Random(args.seed)
            shuffled = entries[:]
            rnd.shuffle(shuffled)
            for share in (4, 2):
                measure(shuffled[: len(entries) // share], f"1/{share}", Path(tmp))
        measure(entries, "all", Path(tmp))
        if args.cli:
            measure_cli(lists, Path(tmp) / "queries.txt", args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
