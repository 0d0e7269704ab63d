"""report.pdf: the paginated report a compliance officer hands over, rendered by WeasyPrint.

Same partials as the HTML page (reports/templates/_*.j2) with print.css for pages, running
header (audit id, as-of date), page numbers and a cover page.

The PDF *summarises*: WeasyPrint lays out roughly 1,000 table rows in 6 s, so listing every
finding of a 100k-rig fleet is neither readable nor feasible. It lists every critical and high
finding with its rig up to LIST_CAP rows in all (shared fairly between rules), the first
REJECTED_CAP rejected rows, and points to findings.csv / report.json for the rest. Page count
and render time therefore stay bounded whatever the number of findings.

Deterministic bytes: the document's dates come from the as-of date (dcterms meta), and
SOURCE_DATE_EPOCH is set to the as-of date while rendering (font subsetting reads it), then
restored. No URL is ever fetched: the url_fetcher refuses everything.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, time, timezone
from pathlib import Path
from typing import Any, Iterator

from markupsafe import Markup

from auditor.formats.pdf_layout import SIGNATURE_HEIGHT, SIGNATURE_WIDTH
from auditor.formats.report_view import RuleSection, base_view, fill_rows, group_rows
from auditor.formats.templates import environment, templates_dir
from auditor.model import AuditResult, Severity
from auditor.output import create_file

# Archival: PDF/A-3b (ISO 19005-3, level B) carries report.json as an associated file, so one
# file holds the human and the machine report for as long as it must be kept.
PDF_VARIANT = "pdf/a-3b"
LIST_CAP = 300  # critical + high findings listed in the PDF, all rules together
MIN_PER_RULE = 15  # every critical/high rule gets at least this many rows (or all it has)
REJECTED_CAP = 150
# Distinct problems on the cover; the rest are counted there, all are in report.json. Each listed
# party is one problem: six long party names ran into the reserved signature box.
COVER_ACTIONS = 5
ABSENT_CAP = 50  # baseline findings no longer present, listed in the PDF (all are in report.json)


def list_budgets(sections: list[RuleSection], cap: int = LIST_CAP) -> dict[str, int]:
    """Rows to list per rule: all critical+high findings if they fit in `cap`, else a fair share.

    Water-filling: rules needing less than an equal share get all they need; the remainder is
    split equally between the others. Deterministic (sections are in a fixed order).
    """
    need = {s.rule.id: s.by_severity["critical"] + s.by_severity["high"] for s in sections}
    need = {k: v for k, v in need.items() if v}
    if sum(need.values()) <= cap:
        return need
    budgets: dict[str, int] = {}
    left = cap
    # A floor keeps every rule visible, yet shrinks with many rules so the total stays near `cap`.
    floor = max(3, min(MIN_PER_RULE, cap // len(need)))
    pending = sorted(need, key=lambda k: (need[k], k))
    while pending:
        share = max(floor, left // len(pending))
        k = pending[0]
        if need[k] <= share:
            budgets[k] = need[k]
            left -= need[k]
            pending.pop(0)
            continue
        for k in pending:
            budgets[k] = min(need[k], share)
        break
    return budgets


@contextmanager
def source_date_epoch(as_of) -> Iterator[None]:
    """SOURCE_DATE_EPOCH = midnight UTC of the as-of date, for the duration of a render."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(as_of, time(0), tzinfo=timezone.utc).timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _shorten(evidence: list[tuple[str, str]], limit: int = 160, nested: int = 80) -> list[tuple[str, str]]:
    """Evidence as printed: long text cut, long nested structures (match explanations …) referred
    to report.json and findings.csv, which carry them whole."""
    out = []
    for k, v in evidence:
        if v[:1] in "{[" and len(v) > nested:
            v = "(structured; in report.json)"
        elif len(v) > limit:
            v = v[: limit - 1] + "…"
        out.append((k, v))
    return out


def _pdf_date(as_of) -> datetime:
    """Midnight UTC of the as-of day: embedded-file dates never carry the wall clock."""
    return datetime.combine(as_of, time(0))


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"report.pdf fetches nothing (refused {url[:80]!r})")


def context(result: AuditResult) -> dict:
    view = base_view(result, REJECTED_CAP)
    sections = view["sections"]
    budgets = list_budgets(sections)
    fill_rows(result, sections, wanted=lambda r: r.group.effective_severity >= Severity.HIGH, budget=lambda s: budgets.get(s.rule.id, 0))
    capped = False
    for s in sections:
        s.rows = [dict(r, evidence=_shorten(r["evidence"])) for r in s.rows]
        groups = group_rows(s.rows)
        # Grouping pays off when rigs share reasons; mostly-unique reasons read better as one table.
        if len(groups) * 2 <= len(s.rows):
            s.groups = groups
        severe = s.by_severity["critical"] + s.by_severity["high"]
        if severe and len(s.rows) < severe:
            capped = True
            s.listed_note = (f"{len(s.rows):,} of {severe:,} critical and high findings listed; all {s.count:,} findings "
                             f"of this rule are in findings.csv and report.json.")
        elif s.count > len(s.rows):
            lower = s.count - len(s.rows)
            s.listed_note = f"{lower:,} finding{'s' if lower != 1 else ''} below high severity: listed in findings.csv and report.json."
    tdir = templates_dir()
    view.update(
        css=Markup((tdir / "report.css").read_text(encoding="utf-8")),
        print_css=Markup((tdir / "print.css").read_text(encoding="utf-8")),
        listed_capped=capped,
        print_media=True,  # templates: paged layout (grouped rig lists, evidence shown in full)
        list_cap=LIST_CAP,
        # The row saying that not every expected official list was screened takes one problem's room.
        actions_cap=COVER_ACTIONS - 1 if view["screening_caveat"] else COVER_ACTIONS,
        signature={"width": SIGNATURE_WIDTH, "height": SIGNATURE_HEIGHT},
        absent_cap=ABSENT_CAP,
    )
    return view


def render_html(result: AuditResult) -> str:
    return environment().get_template("report.pdf.j2").render(**context(result))


class PdfFormat:
    name = "pdf"
    filename = "report.pdf"

    def write(self, result: AuditResult, out_dir: Path) -> Path:
        import weasyprint

        path = Path(out_dir) / self.filename
        html = render_html(result)
        with tempfile.TemporaryDirectory(prefix="auditor-pdf-") as tmp, source_date_epoch(result.as_of), \
                _Deflater(DEFLATE_LEVEL) as deflater:
            # report.json is rendered afresh from the same result (never read from --out, which may
            # hold another run's file) and embedded as the PDF/A-3 associated file.
            from auditor.formats.json_format import FORMAT as JSON

            data = JSON.write(result, Path(tmp))
            # Its deflate (tens of MB on a large fleet) runs on the other core while WeasyPrint lays
            # out the pages: zlib releases the GIL.
            deflater.start(data.read_bytes())
            attachment = weasyprint.Attachment(
                filename=str(data), name=JSON.filename, relationship="Data",
                description="The machine-readable report (report.json) this document presents",
                created=_pdf_date(result.as_of), modified=_pdf_date(result.as_of))
            document = weasyprint.HTML(string=html, base_url=str(templates_dir()), url_fetcher=_no_fetch).render()
            with create_file(path, "wb") as fh:
                document.write_pdf(fh, pdf_variant=PDF_VARIANT, attachments=[attachment])
        return path


# pydyf (WeasyPrint's PDF writer) deflates every stream at zlib level 9. On the embedded report.json
# of a large fleet (37 MB at 100k rigs) level 9 took 3.2 s for a file 2% smaller than level 6 (0.8 s).
DEFLATE_LEVEL = 6


class _Deflater:
    """While a PDF is written, pydyf's zlib: level DEFLATE_LEVEL, and each distinct stream deflated once.

    pydyf deflates every stream when it writes it, then serialises every object a second time to
    hash the file identifier (PDF.write, `identifier`): each stream, the embedded report.json
    included, was deflated twice. Here the compressed bytes are kept per uncompressed content for
    the duration of the write (same bytes out: zlib is deterministic), and `start` deflates a
    stream known in advance on a thread. A scoped patch of pydyf's module global: pydyf has no
    option for either.
    """

    def __init__(self, level: int) -> None:
        self.level = level
        self.done: dict[bytes, bytes] = {}
        self.pending: dict[bytes, Future[bytes]] = {}
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditor-deflate")

    def deflate(self, data: bytes) -> bytes:
        out = self.done.get(data)
        if out is None:
            future = self.pending.pop(data, None)
            out = future.result() if future is not None else self._deflate(data)
            self.done[data] = out
        return out

    def start(self, data: bytes) -> None:
        self.pending[data] = self.pool.submit(self._deflate, data)

    def _deflate(self, data: bytes) -> bytes:
        compressor = zlib.compressobj(self.level)
        return compressor.compress(data) + compressor.flush()

    def __enter__(self) -> "_Deflater":
        import pydyf

        deflater = self

        class _Compressor:
            """zlib.compressobj's interface as pydyf uses it: compress(data) once, then flush()."""

            def __init__(self) -> None:
                self.parts: list[bytes] = []

            def compress(self, data: bytes) -> bytes:
                self.parts.append(data)
                return b""

            def flush(self) -> bytes:
                return deflater.deflate(self.parts[0] if len(self.parts) == 1 else b"".join(self.parts))

        class _Zlib:
            def __getattr__(self, name: str) -> Any:
                return getattr(zlib, name)

            @staticmethod
            def compressobj(*args: Any, **kwargs: Any) -> _Compressor:
                return _Compressor()

        self.saved = pydyf.zlib
        pydyf.zlib = _Zlib()
        return self

    def __exit__(self, *exc: object) -> None:
        import pydyf

        pydyf.zlib = self.saved
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.done.clear()
        self.pending.clear()


FORMAT = PdfFormat()
