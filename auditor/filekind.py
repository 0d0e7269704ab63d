"""What a file is when it is not text, from its bytes: one answer for every reader of text.

A workbook, a compressed download or a program given where text is expected must be named
as what it is, before any decoding: read as text, its first byte over 0x7f would earn the
advice to name a legacy encoding (`--encoding cp1252`), which cannot help.
"""

from __future__ import annotations

from dataclasses import dataclass

# (first bytes, what the file is, what to do with it or None). Only signatures no text file
# starts with: each holds a control byte or a byte no text encoding begins a name with.
_SIGNATURES: tuple[tuple[bytes, str, str | None], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx or .ods workbook?)", None),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (an .xls workbook?)", None),
    (b"%PDF-", "a PDF document", None),
    (b"\x1f\x8b", "a gzip-compressed file", "decompress it first (gunzip)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file", "decompress it first (unxz)"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file", "decompress it first (unzstd)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract the file from it first"),
    (b"\x7fELF", "an ELF executable", None),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
NUL_BYTE = "binary data (a NUL byte)"


@dataclass(frozen=True)
class BinaryContent:
    """Why a file is not text: `what` it is, where that shows (line and column, 1-based)
    and, for an archive or compressed file, what to do first."""

    what: str
    line: int = 1
    column: int = 1
    advice: str | None = None

    @property
    def workbook_names(self) -> str | None:
        """The file names a workbook of this kind has (".xlsx/.ods", ".xls"), or None: a ZIP
        or OLE file given as text is most often a spreadsheet saved under a text file's name."""
        if self.what.startswith("a ZIP archive"):
            return ".xlsx/.ods"
        if self.what.startswith("a legacy Office file"):
            return ".xls"
        return None

    @property
    def nul(self) -> bool:
        """Recognised by a NUL byte only, not by a signature."""
        return self.what == NUL_BYTE


def binary_content(data: bytes) -> BinaryContent | None:
    """Why `data` (a file's bytes, or its first bytes) is not text, or None when it may be.

    Known signatures first; then any NUL byte, which no text in UTF-8 or a single-byte
    encoding holds (UTF-16, which does, is text only with its byte-order mark)."""
    for magic, what, advice in _SIGNATURES:
        if data.startswith(magic):
            return BinaryContent(what, advice=advice)
    if data.startswith(b"BZh") and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
        return BinaryContent("a bzip2-compressed file", advice="decompress it first (bunzip2)")
    if data.startswith(_UTF16_BOMS):
        return None
    nul = data.find(b"\x00")
    if nul < 0:
        return None
    line_start = data.rfind(b"\n", 0, nul) + 1
    return BinaryContent(NUL_BYTE, data.count(b"\n", 0, nul) + 1, nul - line_start + 1)
