"""Defaults shared by the command line and the library, defined once.

No imports here: the CLI shows these in `--help` without loading the package's heavy parts.
"""

# An imported screening list retrieved more than this many days before the audit date makes
# the audit INCOMPLETE (`--max-list-age`).
MAX_LIST_AGE_DAYS = 90

# The longest lifetime (created -> expires) a waiver may have (`--max-waiver-days`,
# `waivers lint --max-lifetime`).
MAX_WAIVER_DAYS = 180

# The environment variable that sets every command's "today" (`--as-of`).
AS_OF_ENV = "AUDITOR_AS_OF"
