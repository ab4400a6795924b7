#!/usr/bin/env bash
# Prints the path of a Python that has the pinned pyarrow, creating a venv in
# target/pyarrow-venv first if there is none or python/requirements.txt has
# changed since (once: about a minute). Progress goes to stderr, the path to stdout.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/pyarrow-venv"
requirements="$root/python/requirements.txt"
stamp="$venv/.requirements"

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp"; then
    echo "$venv/bin/python"
    exit 0
fi

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
    echo "error: $python not found: install Python 3.9 or newer (Debian: apt-get install python3 python3-venv), or set PYTHON" >&2
    exit 1
fi
echo "Creating a Python venv with $(tr '\n' ' ' <"$requirements")in target/pyarrow-venv (once)..." >&2
rm -rf "$venv"
if ! "$python" -m venv "$venv" >&2; then
    echo "error: $python cannot create a venv (Debian: apt-get install python3-venv)" >&2
    exit 1
fi
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" >&2; then
    echo "error: cannot install $(tr '\n' ' ' <"$requirements")from PyPI: is it reachable? (pip's message is above)" >&2
    exit 1
fi
cp "$requirements" "$stamp"
echo "$venv/bin/python"
