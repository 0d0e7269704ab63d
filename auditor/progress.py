"""Progress of a long audit on stderr: rows read, rules evaluated, formats written, an estimate.

A million-rig audit runs for a while; an officer at a terminal should see that it moves and
roughly when it ends. CI logs are another matter: a carriage-return display fills them with
noise, so the display is on by default only on a terminal outside CI, off with `-q`, and can
be forced either way (`--progress` / `--no-progress`).

Only stderr ever sees the wall clock: reports stay byte-identical (DESIGN.md, determinism).
Updates are throttled (at most one every 0.2 s per stage) so the display never slows the work.

The estimate is the simplest honest one: the share of input bytes read gives the reading
stage's remaining time; after reading, rules evaluated out of the rules to run, and formats
written out of the formats requested. It says "about", and it is printed only once a stage has
run long enough (1 s) for its rate to mean something.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Callable, Protocol, Sequence, TextIO

MIN_INTERVAL = 0.2  # seconds between two updates of the same line
MIN_ELAPSED_FOR_ESTIMATE = 1.0


class ProgressSink(Protocol):
    """What a run reports as it goes (auditor.run); ProgressDisplay draws it on stderr."""

    def reading(self, rows: int, bytes_done: int | None = None) -> None: ...

    def evaluating(self, done: int, total: int, rule_id: str = "") -> None: ...

    def writing(self, done: int, total: int, name: str = "") -> None: ...

    def finish(self) -> None: ...


TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson")
SAMPLE_BYTES = 1 << 16


def expected_rows(paths: Sequence[str]) -> int | None:
    """About how many rows the inventories hold, from their sizes and the line length of their
    first 64 KiB: enough for an estimate of the reading time. None when a file is not line-based
    text (workbooks, JSON documents) or cannot be sized."""
    total = 0
    for p in paths:
        path = Path(p)
        if path.suffix.lower() not in TEXT_SUFFIXES:
            return None
        try:
            size = path.stat().st_size
            with open(path, "rb") as fh:
                head = fh.read(SAMPLE_BYTES)
        except OSError:
            return None
        lines = head.count(b"\n")
        if not lines:
            return None
        total += int(size / (len(head) / lines))
    return total or None


def wanted(mode: str | None, quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether to show progress: `mode` is "always", "never" or None (automatic)."""
    if mode == "always":
        return True
    if mode == "never" or quiet:
        return False
    stream = stream if stream is not None else sys.stderr
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and not in_ci


class ProgressDisplay:
    """One status line on `stream`, rewritten in place on a terminal, appended otherwise."""

    def __init__(self, stream: TextIO | None = None, total_bytes: int | None = None,
                 clock: Callable[[], float] = time.monotonic, total_rows: int | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.total_bytes = total_bytes or None
        self.total_rows = total_rows or None  # an estimate (expected_rows), when bytes are not reported
        self.clock = clock
        try:
            self.inline = self.stream.isatty()
        except (AttributeError, ValueError):
            self.inline = False
        self._stage: str | None = None
        self._stage_start = 0.0
        self._last = -1e9
        self._width = 0

    # -- stages -----------------------------------------------------------------------------

    def reading(self, rows: int, bytes_done: int | None = None) -> None:
        text = f"reading: {rows:,} rows"
        fraction = None
        if bytes_done is not None and self.total_bytes:
            fraction = min(1.0, bytes_done / self.total_bytes)
            text += f" ({fraction:.0%} of {self.total_bytes / 1e6:,.0f} MB)"
        elif self.total_rows:
            fraction = min(0.99, rows / self.total_rows)
            text += f" (about {fraction:.0%})"
        self._show("reading", text, fraction)

    def evaluating(self, done: int, total: int, rule_id: str = "") -> None:
        text = f"evaluating: {done}/{total} rules" + (f" ({rule_id})" if rule_id else "")
        self._show("evaluating", text, done / total if total else None, force=done == total)

    def writing(self, done: int, total: int, name: str = "") -> None:
        text = f"writing: {done}/{total} formats" + (f" ({name})" if name else "")
        self._show("writing", text, done / total if total else None, force=True)

    def finish(self) -> None:
        """Clear the status line (terminal) so the summary line starts clean."""
        if self.inline and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._width = 0

    # -- drawing ----------------------------------------------------------------------------

    def _show(self, stage: str, text: str, fraction: float | None, force: bool = False) -> None:
        now = self.clock()
        if stage != self._stage:
            self._stage, self._stage_start, force = stage, now, True
        if not force and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        elapsed = now - self._stage_start
        if fraction and 0 < fraction < 1 and elapsed >= MIN_ELAPSED_FOR_ESTIMATE:
            remaining = elapsed * (1 - fraction) / fraction
            text += f", about {_duration(remaining)} left"
        line = f"auditor: {text}"
        if self.inline:
            pad = max(0, self._width - len(line))
            self.stream.write("\r" + line + " " * pad)
            self._width = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{max(seconds, 1)} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
