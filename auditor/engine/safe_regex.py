"""Regular expressions of rules run on RE2: time linear in the input, whatever the pattern.

Rule files may come from anyone with write access to a repository. Python's `re` backtracks:
`^(a+)+$` against forty `a`s and a `b` runs for hours. RE2 (google-re2) never backtracks; the
price is that backreferences and lookaround, which need backtracking, are not available, and a
rule using them is refused when the rule is loaded (`auditor rules lint`), with file and line.
"""

from __future__ import annotations

from auditor.limits import REGEX_MAX_CHARS, REGEX_MAX_MEMORY


class RegexError(ValueError):
    """A pattern RE2 cannot compile, or one longer than the limit."""


def compile_pattern(pattern: str, *, ignore_case: bool = False):
    """A compiled RE2 pattern with `search(text)`, or RegexError saying why not."""
    import re2

    if len(pattern) > REGEX_MAX_CHARS:
        raise RegexError(f"pattern is {len(pattern):,} characters long (limit {REGEX_MAX_CHARS})")
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of the error on stderr
    options.case_sensitive = not ignore_case
    options.max_mem = REGEX_MAX_MEMORY
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise RegexError(f"{reason} (rules use RE2 syntax: no backreferences or lookaround)") from None
