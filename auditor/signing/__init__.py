"""Report signing: keys, PAdES PDF signatures, DSSE/in-toto statement over every file, verify.

Entry points for other parts of auditor:
    sign_report(out_dir, key_dir, passphrase, predicate_metadata=None, *, visible_signature=False)
    verify_report(folder, trust_roots=None, *, trust_included_root=False)
Both raise SigningError (exit 2) for key/usage problems; verification failures are verdicts.
"""

from auditor.signing.errors import PassphraseError, SigningError
from auditor.signing.sign import SignResult, sign_report
from auditor.signing.verify import Verdict, VerifyResult, verify_report

__all__ = [
    "PassphraseError", "SigningError", "SignResult", "Verdict", "VerifyResult", "sign_report", "verify_report",
]
