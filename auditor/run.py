"""One audit run, from a typed request to a typed outcome: the Python API of auditor.

    from datetime import date
    from pathlib import Path
    from auditor.run import AuditRequest, run

    outcome = run(AuditRequest(inventories=("fleet.csv",), as_of=date(2026, 11, 26),
                               out_dir=Path("report"), formats=("json", "html")))
    outcome.result.summary()["findings"], outcome.gate_fails, outcome.written

Every audit — `auditor audit`, `auditor waivers lint --inventory`, a program embedding
auditor — goes through `run`, which owns the steps after reading the request, always in this
order:

    check     waiver file, baseline file, signing key and output folder are read and checked
              before anything is evaluated (a bad file costs nothing and writes nothing)
    evaluate  inventories, rules and reference data -> AuditResult (auditor.audit; pure core)
    decorate  waivers, then a baseline report.json or a recorded run (--diff-against); each
              decoration returns a new, immutable AuditResult
    gate      which open findings fail the pipeline (auditor.gate.Gate)
    render    one file per requested format into `out_dir`
    sign      PAdES in the PDF and a DSSE statement over every file written
    record    the run stored in the history database

Each step is a function below; a new decoration is one field on AuditRequest, one check in
`check` when it reads a file, and one line in `decorate`. The CLI only turns flags into an
AuditRequest and the AuditOutcome into an exit code (auditor/cli/audit_cmd.py).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from auditor.defaults import MAX_WAIVER_DAYS
from auditor.gate import Gate
from auditor.inventory import ReadOptions
from auditor.limits import RULE_TIME_BUDGET_S
from auditor.model import AuditResult
from auditor.refdata.loader import RefDataOptions

if TYPE_CHECKING:
    from auditor.signing.keys import KeyMaterial
    from auditor.waivers import Waiver

DEFAULT_FORMATS = ("json", "html")

# A run reports rows read, rules evaluated and formats written (auditor.progress.ProgressSink).
if TYPE_CHECKING:
    from auditor.progress import ProgressSink as Progress


class RunError(Exception):
    """The run stopped on something the user can fix (a usage error, exit 2).

    `lines` are the messages, one problem each (a waiver file can have several).
    """

    def __init__(self, *lines: str):
        self.lines = tuple(lines)
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class AuditRequest:
    """Everything one audit run needs. Add a field here for a new flag, grouped by step."""

    # evaluate
    inventories: tuple[str, ...]
    as_of: date
    rule_dirs: tuple[Path, ...] = ()  # empty: the bundled rule pack
    refdata: RefDataOptions = field(default_factory=RefDataOptions)  # lists, tariffs, facilities, …
    strict: bool = False  # any rejected row makes the audit incomplete
    allow_missing: frozenset[str] = frozenset()  # fields the officer knows are absent (rule coverage)
    read: ReadOptions = field(default_factory=ReadOptions)  # column map, date format, sheet, encoding
    devices: str | None = None  # device snapshot (JSON Lines from `auditor devices scan`)
    devices_max_age_days: int = 7  # an older snapshot is stated on the report
    organisation: str | None = None  # shown on the report's cover
    rule_timeout_s: float | None = RULE_TIME_BUDGET_S  # per rule; None: unbounded
    # decorate
    waivers: Path | None = None  # reviewed waiver file (TOML)
    max_waiver_days: int = MAX_WAIVER_DAYS
    baseline: Path | None = None  # a previous report.json
    diff_against: str | None = None  # a recorded run id, or "previous" (needs the history database)
    # gate
    gate: Gate = field(default_factory=Gate)
    # render
    out_dir: Path | None = None  # None: nothing is written (the outcome's result is all you get)
    overwrite: bool = False  # remove an earlier run's report files from out_dir first
    formats: tuple[str, ...] = DEFAULT_FORMATS
    sarif_min_severity: str | None = None  # lowest severity listed in report.sarif (None: the gate's level)
    # sign
    sign_key: Path | None = None  # key directory or .p12 file (auditor keys generate)
    passphrase: str | None = field(default=None, repr=False)
    tsa_url: str | None = None  # RFC 3161 time-stamping authority (PAdES B-T, report.sigstore.json)
    long_term: bool = False  # with tsa_url: PAdES B-LTA (validation data and a document timestamp)
    # record
    record: bool = False  # store the run in the history database (refdata.db_url)

    @property
    def db_url(self) -> str | None:
        """The one database of the run: imported lists, history (None: AUDITOR_DB or the default)."""
        return self.refdata.db_url


@dataclass(frozen=True)
class AuditOutcome:
    """What one run produced."""

    result: AuditResult  # decorated; immutable
    gate_fails: bool  # an open finding fails the gate (completeness is result.complete)
    written: tuple[Path, ...] = ()  # report files, in the order of request.formats
    signed: bool = False
    run_id: int | None = None  # id in the history database when recorded

    @property
    def complete(self) -> bool:
        return self.result.complete


@dataclass(frozen=True)
class _Checked:
    """Files read by the check step, used by the later steps."""

    waivers: list[Waiver] | None = None
    baseline: list[dict[str, Any]] | None = None
    signing_key: KeyMaterial | None = None


def run(request: AuditRequest, progress: Progress | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> AuditOutcome:
    """Run one audit: check → evaluate → decorate → gate → render → sign → record.

    Raises RunError for anything the user can fix; nothing is written when the request's
    files are bad. `clock` gives the run's start and end times for the history database only
    (the audit itself depends on `request.as_of`, never on the clock).
    """
    checked = check(request)
    started_at = clock()
    result = evaluate(request, progress)
    result = decorate(result, request, checked)
    result = replace(result, gate=request.gate, outputs=_filenames(request),
                     sarif_min_severity=request.sarif_min_severity)
    fails = request.gate.fails(result)
    written = render(result, request, progress)
    signed = sign(request, checked)
    run_id = record(result, request, started_at, clock()) if request.record else None
    return AuditOutcome(result, fails, written, signed, run_id)


# --------------------------------------------------------------------------- the steps, in order


def check(request: AuditRequest) -> _Checked:
    """Refuse a request that cannot succeed before evaluating anything."""
    if request.gate.new_only and request.baseline is None and request.diff_against is None:
        raise RunError("--fail-on-new-only needs --baseline (a previous report.json to compare with) "
                       "or --diff-against RUN")
    if request.baseline is not None and request.diff_against is not None:
        raise RunError("give either --baseline FILE or --diff-against RUN, not both")
    if request.sign_key is not None and request.out_dir is None:
        raise RunError("signing needs an output directory")
    from auditor import formats

    known = formats.names()
    for name in request.formats:
        if name not in known:
            raise RunError(f"unknown format {name!r} (choose from {', '.join(known)})")
        missing = formats.missing_dependency(name)  # an optional extra not installed
        if missing:
            raise RunError(missing)
    waivers = baseline = key = None
    if request.waivers is not None:
        from auditor.waivers import WaiverError, load_waivers

        try:
            waivers = load_waivers(request.waivers, request.as_of, request.max_waiver_days)
        except WaiverError as exc:
            raise RunError(*exc.lines()) from None
    if request.baseline is not None:
        from auditor.baseline import BaselineError, load_baseline

        try:
            baseline = load_baseline(request.baseline)
        except BaselineError as exc:
            raise RunError(str(exc)) from None
    if request.out_dir is not None:
        from auditor.output import OutputError, check_out_dir

        try:  # a folder we cannot use is a usage error, found before anything is evaluated
            check_out_dir(request.out_dir, overwrite=request.overwrite, signing=request.sign_key is not None)
        except OutputError as exc:
            raise RunError(str(exc)) from None
    if request.sign_key is not None:
        assert request.out_dir is not None
        # Key, passphrase and certificate are checked before anything is written: a failed
        # signature must not leave an unsigned report behind.
        from auditor.signing import SigningError
        from auditor.signing.sign import prepare_signing

        try:
            key = prepare_signing(request.sign_key, request.passphrase, tsa_url=request.tsa_url)
        except SigningError as exc:
            raise RunError(f"cannot sign: {exc}") from None
    return _Checked(waivers, baseline, key)


def evaluate(request: AuditRequest, progress: Progress | None = None) -> AuditResult:
    """Read, load rules and reference data, evaluate (auditor.audit); errors become RunError."""
    from auditor import audit
    from auditor.engine.checks.base import RuleError
    from auditor.inventory.errors import InventoryError

    opts = audit.AuditOptions(inventories=list(request.inventories), as_of=request.as_of,
                              rule_dirs=list(request.rule_dirs), refdata=request.refdata,
                              strict=request.strict, organisation=request.organisation,
                              allow_missing=request.allow_missing, read=request.read,
                              devices=request.devices, devices_max_age_days=request.devices_max_age_days,
                              rule_timeout_s=request.rule_timeout_s)
    try:
        return audit.run_audit(opts, progress.reading if progress else None,
                               progress.evaluating if progress else None)
    except (RuleError, InventoryError) as exc:
        raise RunError(str(exc)) from None
    except Exception as exc:
        # Reference-data and option files (OSError, ValueError) and the list store: a readable
        # message. The store (SQLAlchemy, ~150 ms to import) is loaded only when rules screen
        # against lists, so its error class is looked up rather than imported here.
        store = sys.modules.get("auditor.store.db")
        if isinstance(exc, (OSError, ValueError)) or (store is not None and isinstance(exc, store.StoreError)):
            raise RunError(str(exc)) from None
        raise


def decorate(result: AuditResult, request: AuditRequest, checked: _Checked) -> AuditResult:
    """Waivers first (a baseline compares waived findings too), then baseline or history."""
    if checked.waivers is not None:
        from auditor.waivers import apply_waivers

        result = apply_waivers(result, checked.waivers)
    if checked.baseline is not None:
        from auditor.baseline import apply_baseline

        result = apply_baseline(result, checked.baseline, label=str(request.baseline))
    elif request.diff_against is not None:
        result = _diff_against_history(result, request.db_url, request.diff_against)
    return result


def render(result: AuditResult, request: AuditRequest, progress: Progress | None = None) -> tuple[Path, ...]:
    """Write each requested format into out_dir (nothing without one)."""
    if request.out_dir is None:
        return ()
    from auditor import formats
    from auditor.output import OutputError, prepare_out_dir

    signing = request.sign_key is not None
    try:
        prepare_out_dir(request.out_dir, overwrite=request.overwrite, signing=signing)
        written = []
        for i, name in enumerate(request.formats):
            if progress is not None:
                progress.writing(i + 1, len(request.formats), name)
            written.append(formats.get(name).write(result, request.out_dir))
        return tuple(written)
    except OutputError as exc:
        raise RunError(str(exc)) from None
    except OSError as exc:  # disk full, read-only file system, permissions changed meanwhile
        raise RunError(f"cannot write the report into {request.out_dir}: {exc.strerror or exc}") from None


def sign(request: AuditRequest, checked: _Checked) -> bool:
    """Sign the written folder with the key checked before evaluation."""
    if checked.signing_key is None:
        return False
    assert request.out_dir is not None
    from auditor.signing import SigningError
    from auditor.signing.sign import sign_folder

    try:
        sign_folder(request.out_dir, checked.signing_key, tsa_url=request.tsa_url, long_term=request.long_term)
    except SigningError as exc:
        raise RunError(f"signing failed: {exc}") from None
    return True


def record(result: AuditResult, request: AuditRequest, started_at: datetime, finished_at: datetime) -> int:
    """Store the run in the history database; return its id."""
    from auditor.store.db import StoreError
    from auditor.store.runs import record_audit

    try:
        return record_audit(request.db_url, result, started_at, finished_at)
    except StoreError as exc:
        what = "the report was written but " if request.out_dir is not None else ""
        raise RunError(f"{what}the run was not recorded: {exc}") from None


# --------------------------------------------------------------------------- helpers


def _filenames(request: AuditRequest) -> tuple[str, ...]:
    if request.out_dir is None:
        return ()
    from auditor import formats

    return tuple(f for name in request.formats for f in formats.filenames(name))


def _diff_against_history(result: AuditResult, db_url: str | None, ref: str) -> AuditResult:
    from auditor.diff import diff_against
    from auditor.store.db import StoreError, open_engine, prepare_schema
    from auditor.store.runs import RunNotFound

    try:
        engine = open_engine(db_url)
        prepare_schema(engine)
        d = diff_against(engine, result, int(ref) if ref.isdigit() else ref)
    except (StoreError, RunNotFound) as exc:
        raise RunError(str(exc)) from None
    if d is None:
        return replace(result, baseline={}, warnings=result.warnings + (
            "--diff-against previous: no earlier run is recorded; every finding is new",))
    return d.apply_to(result)


