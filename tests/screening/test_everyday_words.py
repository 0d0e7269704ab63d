"""The everyday English words the matcher uses are wordfreq's, as scripts/everyday_words.py
writes them: not edited by hand, and the words a brand shares with ordinary English."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from auditor.screening.vocabulary import everyday_words

ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("everyday_words_script", ROOT / "scripts" / "everyday_words.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_list_is_what_the_script_writes_from_wordfreq() -> None:
    shipped = (ROOT / "auditor" / "screening" / "data" / "everyday_en.txt").read_text(encoding="utf-8")
    assert shipped == _script().everyday_words()


def test_ordinary_words_are_everyday_and_brands_are_not() -> None:
    words = everyday_words()
    assert {"target", "pioneer", "apex", "delta", "phoenix"} <= words
    assert not {"bitmain", "sophgo", "daryanavard", "rosneft", "kamaz"} & words
