#!/usr/bin/env bash
# Install everything the test suite needs and run it.
#   - Debian packages the tests drive for real: chromium (HTML report in a browser),
#     poppler-utils (pdfsig, pdftoppm), PostgreSQL 15 server binaries (store tests),
#     libnss3-tools (certutil, for pdfsig's trust store), fonts-noto-cjk (Chinese glyphs in
#     report.pdf). Installed only when missing, and
#     only when we are root (otherwise the tests that need them say what is missing).
#   - a virtual environment (.venv) with the package and its [test] extras.
# Extra arguments go to pytest. Exit status is pytest's; "no tests collected" is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
# Chinese glyphs for report.pdf (a supplier named 华为技术有限公司 must not print as boxes).
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
[ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${need[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: missing ${need[*]} (run as root or install them); dependent tests will fail under CI=true" >&2
  fi
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check '.[test]'
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ $code -eq 5 ]; then
  echo "test.sh: no tests were collected: failing" >&2
  exit 1
fi
exit $code
