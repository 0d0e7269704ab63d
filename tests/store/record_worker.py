"""Subprocess for the crash and concurrency tests: records one run of N findings.

    python -m tests.store.record_worker URL N MODE

MODE "pause": after the first batch is written (inside the open transaction) print
"writing" and wait for a line on stdin before going on — the test kills it there, or lets it
continue. MODE "go": print "started" and record without pausing. Prints "done RUN_ID" at the end.
"""

import sys
from datetime import datetime, timezone

from auditor.store.runs import record_audit
from tests.store.factory import big_result


def main() -> None:
    url, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    result = big_result(n)
    paused = False

    def progress(stage: str, count: int) -> None:
        nonlocal paused
        if mode == "pause" and not paused:
            paused = True
            print("writing", flush=True)
            sys.stdin.readline()

    print("started", flush=True)
    t = datetime(2025, 6, 18, tzinfo=timezone.utc)
    run_id = record_audit(url, result, t, t, progress=progress)
    print(f"done {run_id}", flush=True)


if __name__ == "__main__":
    main()
