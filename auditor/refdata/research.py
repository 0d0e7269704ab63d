"""The date the bundled law was last researched, and what an audit dated after it must say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from auditor.refdata._records import DATA_DIR, RefDataError, read_file

DEFAULT_PATH = DATA_DIR / "research.toml"


@dataclass(frozen=True)
class Research:
    date: date
    scope: str

    def staleness_warning(self, as_of: date) -> str | None:
        """A plain statement when the audit date is after the research date, else None."""
        if as_of <= self.date:
            return None
        return (f"This audit is as of {as_of.isoformat()}, after {self.date.isoformat()}, the date the law in its "
                f"reference data and rules was last researched ({self.scope}): the law may have changed since.")


def load_research(path: str | Path | None = None) -> Research:
    p = Path(path) if path is not None else DEFAULT_PATH
    _text, _sha, doc = read_file(p)
    table = doc.get("research")
    if set(doc) != {"research"} or not isinstance(table, dict) or set(table) != {"date", "scope"}:
        raise RefDataError(str(p), None, "expected exactly a [research] table with 'date' and 'scope'")
    day, scope = table["date"], table["scope"]
    if not isinstance(day, date) or hasattr(day, "hour") or not isinstance(scope, str) or not scope.strip():
        raise RefDataError(str(p), None, "[research] date must be a TOML date and scope a non-empty string")
    return Research(day, scope.strip())
