#!/usr/bin/env bash
# Prints the path of a Python that has the pinned pyarrow, creating a venv in
# target/pyarrow-venv first if there is none or it is another Python's, and
# installing python/requirements.txt's pin if the file has changed since
# (once: about a minute). Progress goes to stderr, the path to stdout.
#
# The Python: $PYTHON if set, else the first of python3, python3.14 ...
# python3.9 that is 3.9 or newer (SUSE 15's python3 is 3.6: there, python3.11
# from the python311 package). python/requirements.txt pins the newest pyarrow
# for each Python (scripts/test-python-versions.sh tests each pin).
#
# Any failure is one line on stderr, "error: ...", saying what to install: the
# tests quote it as it is (tests/src/lib.rs).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/target/pyarrow-venv"
requirements="$root/python/requirements.txt"
stamp="$venv/.requirements"
log="$root/target/pyarrow-venv.log"

install="install Python 3.9 or newer with its venv module (SUSE: sudo zypper install -y python311 python311-pip; Ubuntu, Debian: sudo apt-get install -y python3 python3-venv), or set PYTHON to one"

die() {
    echo "error: $*" >&2
    exit 1
}

# "3.11" for a Python 3.11, nothing if it does not run.
version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true
}

recent_enough() {
    local version major minor
    version=$(version_of "$1")
    major=${version%%.*}
    minor=${version#*.}
    [ "$major" = 3 ] && [ "$minor" -ge 9 ] 2>/dev/null
}

if [ -n "${PYTHON:-}" ]; then
    python=$(command -v "$PYTHON") || die "PYTHON=$PYTHON not found: $install"
    [ -n "$(version_of "$python")" ] || found="not a Python that runs"
    recent_enough "$python" ||
        die "PYTHON=$PYTHON is ${found:-Python $(version_of "$python")}, and the tests need 3.9 or newer: $install"
else
    python=
    for candidate in python3 python3.14 python3.13 python3.12 python3.11 python3.10 python3.9; do
        if command -v "$candidate" >/dev/null && recent_enough "$candidate"; then
            python=$(command -v "$candidate")
            break
        fi
    done
    if [ -z "$python" ]; then
        found="no python3"
        if command -v python3 >/dev/null; then
            found="only Python $(version_of python3) as python3"
        fi
        die "the pyarrow tests need Python 3.9 or newer, and this machine has $found: $install"
    fi
fi
version=$(version_of "$python")

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$stamp" &&
    [ "$(version_of "$venv/bin/python")" = "$version" ]; then
    echo "$venv/bin/python"
    exit 0
fi

mkdir -p "$root/target"
: >"$log"
# Their own messages go to the log: the one line below says what to do.
last_words() { grep -v '^[[:space:]]*$' "$log" | tail -n1; }
if [ "$(version_of "$venv/bin/python")" != "$version" ] ||
    ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "Creating a Python venv with pyarrow for Python $version ($python) in target/pyarrow-venv (once)..." >&2
    rm -rf "$venv"
    if ! "$python" -m venv "$venv" >>"$log" 2>&1; then
        # Half made (Debian and Ubuntu make it, then miss ensurepip): not a venv.
        rm -rf "$venv"
        die "Python $version ($python) cannot create a venv ($(last_words)): install its venv module (Ubuntu, Debian: sudo apt-get install -y python3-venv, or python$version-venv), or set PYTHON to another Python"
    fi
else
    # The same Python: the venv stays, with the pins of the new requirements.
    echo "Installing python/requirements.txt's pyarrow in target/pyarrow-venv (Python $version)..." >&2
fi
# Wheels only: pyarrow from source needs Arrow's C++ libraries and an hour.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    -r "$requirements" >>"$log" 2>&1 ||
    die "pip cannot install pyarrow for Python $version from PyPI ($(last_words)): is PyPI reachable? pyarrow's wheels need glibc 2.28 or newer (all: target/pyarrow-venv.log)"
cp "$requirements" "$stamp"
echo "  pyarrow $("$venv/bin/python" -c 'import pyarrow; print(pyarrow.__version__)')" >&2
echo "$venv/bin/python"
