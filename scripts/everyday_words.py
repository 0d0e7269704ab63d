"""Write auditor/screening/data/everyday_en.txt: the English words common enough that a
company name made of one of them ("Target", "Pioneer", "Apex") says little on its own.

The list is wordfreq's (https://github.com/rspeer/wordfreq, data CC BY-SA 4.0): every
lower-case ASCII word of its "small" English list at Zipf frequency ZIPF_MIN or more, that
is, seen at least about three times in a million words of its corpora. It is stored rather
than read from wordfreq at run time because importing wordfreq takes 0.12 s, a twentieth
of the time screening 20,000 names may take (benchmarks/screening_speed.py), and a stored
list keeps screening results the same whatever wordfreq version is installed.
tests/screening/test_everyday_words.py checks the file is what this script writes.

Usage: python scripts/everyday_words.py [OUT]   (needs the test extras: wordfreq)
"""

from __future__ import annotations

import sys
from pathlib import Path

ZIPF_MIN = 3.5
OUT = Path(__file__).resolve().parent.parent / "auditor" / "screening" / "data" / "everyday_en.txt"
HEADER = """\
# English words at Zipf frequency >= {zipf} in wordfreq {version}'s "small" English list.
# Derived from wordfreq (https://github.com/rspeer/wordfreq) by Robyn Speer et al.;
# this list is licensed CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/).
# Written by scripts/everyday_words.py; do not edit by hand. One word per line, sorted.
"""


def everyday_words() -> str:
    import wordfreq

    words = sorted(
        word for word, frequency in wordfreq.get_frequency_dict("en", "small").items()
        if word.isascii() and word.isalpha() and word.islower()
        and wordfreq.zipf_frequency(word, "en", "small") >= ZIPF_MIN
    )
    version = getattr(wordfreq, "__version__", None) or _version()
    return HEADER.format(zipf=ZIPF_MIN, version=version) + "\n".join(words) + "\n"


def _version() -> str:
    from importlib.metadata import version

    return version("wordfreq")


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_text(everyday_words(), encoding="utf-8")
    print(f"wrote {out}")
