"""A time budget per rule: a rule that runs too long is named and the audit marked INCOMPLETE.

RE2 keeps regular expressions linear, but a rule pack is code-like input from others and the
engine grows: no single rule may hold an audit (or a CI pipeline) forever. The budget is a
SIGALRM timer, so it only applies in the main thread (elsewhere the rule runs unbounded), and
interrupts Python code between bytecodes. The clock never decides a finding: a rule either
finishes with its full result or contributes none and is reported as not evaluated.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class RuleTimeout(Exception):
    """The rule's time budget ran out."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    usable = (seconds is not None and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expired(_signum, _frame):
        raise RuleTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
