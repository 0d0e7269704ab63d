"""`auditor lists update`: download the official files, refuse suspicious shrinkage, swap atomically.

The CSL feed has known bad days (whole sections missing): an update that would lose more
than `max_loss` of any section's entries compared with the active version is refused
unless forced. Downloads use urllib with a timeout; only HTTPS is accepted, except plain
HTTP to the loopback interface (tests serve fixtures from 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import ipaddress
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from auditor import __version__
from auditor.refdata.importers import IMPORTERS, ImportResult, ListFormatError

DEFAULT_URLS = {
    "csl-csv": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
    "ofac-sdn": "https://www.treasury.gov/ofac/downloads/sdn.csv",
    "ofac-alt": "https://www.treasury.gov/ofac/downloads/alt.csv",
}
# The formats `lists update` downloads (the CSL as .csv, or .json with --url-csl); any other
# list (DoD 1260H, FCC Covered List) is refreshed by importing a newer file.
UPDATED_FORMATS = frozenset({*DEFAULT_URLS, "csl-json"})
DEFAULT_MAX_LOSS = 0.2
DEFAULT_TIMEOUT = 60.0
MAX_BYTES = 512 * 1024 * 1024  # far above any official list; stops a runaway response


class UpdateError(Exception):
    """A download that failed or a URL we refuse to use (exit 2)."""


@dataclass(frozen=True)
class Loss:
    section: str
    before: int
    after: int

    @property
    def share(self) -> float:
        return (self.before - self.after) / self.before if self.before else 0.0

    def describe(self) -> str:
        # Whole percents, but never "−100%" while entries remain (1738 → 1 is −99.9%).
        share = f"{self.share:.0%}" if self.after == 0 or self.share < 0.995 else f"{min(self.share, 0.999):.1%}"
        return f"{self.section}: {self.before} → {self.after} entries (−{share})"


def losses(before: dict[str, int], after: dict[str, int], max_loss: float) -> list[Loss]:
    """Sections of the active version that the new one shrinks by more than `max_loss`.

    A section absent from the new file is a 100% loss: the CSL sometimes ships without one.
    """
    out = []
    for section, old in sorted(before.items()):
        new = after.get(section, 0)
        if old > 0 and (old - new) / old > max_loss:
            out.append(Loss(section, old, new))
    return out


@dataclass(frozen=True)
class SectionChange:
    """How many entries one section has against the active version: said on every import,
    so a cut under --max-loss is never silent (7,379 → 6,000 SDN entries is −18.7%)."""

    section: str
    before: int
    after: int

    @property
    def lost(self) -> bool:
        return self.after < self.before

    def describe(self, against: int) -> str:
        """'1,379 entries fewer than the active version 3 (7,379 → 6,000, −18.7%)'."""
        delta = abs(self.after - self.before)
        noun = "entry" if delta == 1 else "entries"
        how = "fewer" if self.lost else "more"
        if self.before == 0:
            share = "new section"
        else:
            percent = 100 * delta / self.before
            share = f"{'−' if self.lost else '+'}{percent:.1f}%" if round(percent, 1) else (
                f"{'−' if self.lost else '+'}<0.1%")
        return (f"{self.section}: {delta:,} {noun} {how} than the active version {against} "
                f"({self.before:,} → {self.after:,}, {share})")


def section_changes(before: dict[str, int], after: dict[str, int]) -> list[SectionChange]:
    """Every section whose number of entries differs between the active version and the new
    file, gains and losses alike, sorted by section (a missing section has 0 entries)."""
    out = []
    for section in sorted(before.keys() | after.keys()):
        old, new = before.get(section, 0), after.get(section, 0)
        if old != new:
            out.append(SectionChange(section, old, new))
    return out


def check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname:
        host = parts.hostname
        try:
            if host == "localhost" or ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            pass
        raise UpdateError(f"refusing plain-HTTP URL {url}: official lists must be fetched over HTTPS")
    raise UpdateError(f"not a usable download URL: {url!r} (expected https://…)")


def download(url: str, dest: Path, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Fetch `url` into `dest`; return the sha256 of what was written."""
    check_url(url)
    request = urllib.request.Request(url, headers={"User-Agent": f"auditor/{__version__}"})
    h = hashlib.sha256()
    size = 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(dest, "wb") as out:
            while True:
                block = response.read(1 << 20)
                if not block:
                    break
                size += len(block)
                if size > MAX_BYTES:
                    raise UpdateError(f"{url}: response larger than {MAX_BYTES // (1024 * 1024)} MiB, refused")
                h.update(block)
                out.write(block)
    except urllib.error.HTTPError as exc:
        raise UpdateError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise UpdateError(f"{url}: cannot download: {exc.reason}") from None
    except (TimeoutError, OSError) as exc:
        raise UpdateError(f"{url}: cannot download: {exc}") from None
    if size == 0:
        raise UpdateError(f"{url}: empty response")
    return h.hexdigest()


@dataclass
class Fetched:
    format: str
    url: str
    sha256: str
    result: ImportResult


def fetch_all(urls: dict[str, str], workdir: Path, timeout: float = DEFAULT_TIMEOUT) -> list[Fetched]:
    """Download and parse every list (format → URL); nothing is stored here."""
    fetched = []
    for fmt, url in urls.items():
        dest = workdir / f"{fmt}.download"
        sha = download(url, dest, timeout)
        try:
            result = IMPORTERS[fmt].parse(dest)
        except ListFormatError as exc:
            # Name the URL, not our temporary file.
            raise ListFormatError(url, exc.reason, exc.line, exc.column) from None
        result.warnings[:] = [w.replace(str(dest), url) for w in result.warnings]
        fetched.append(Fetched(fmt, url, sha, result))
    return fetched


def temporary_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="auditor-lists-")


__all__ = ["DEFAULT_URLS", "UPDATED_FORMATS", "DEFAULT_MAX_LOSS", "Fetched", "Loss", "SectionChange", "UpdateError",
           "check_url", "download", "fetch_all", "losses", "section_changes"]
