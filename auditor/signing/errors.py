"""Errors raised by the signing library.

SigningError is a problem with the user's keys, passphrase or report folder: the CLI maps it to
exit 2 (usage/configuration error). Verification failures are never exceptions: they are
collected as verdicts (see verify.py) so that every file gets reported.
"""

from __future__ import annotations


class SigningError(Exception):
    """A key, certificate, passphrase or report-folder problem; the message is for the user."""


class PassphraseError(SigningError):
    """The passphrase is missing or does not decrypt the private key."""
