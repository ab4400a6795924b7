#!/usr/bin/env bash
# Every pyarrow that python/requirements.txt pins, on the Python it is pinned
# for: for each Python, a venv made from python/requirements.txt (pip picks
# the line whose marker holds), then the page's two programs, verbatim
# (python/flight_server.py and python/flight_client.py), against our server
# and client (target/debug/solution-02-server, solution-04-client), both
# ways, on port 8815 in a network namespace of its own; their outputs are
# compared with the page's (tests/expected/). Then the tests that use pyarrow
# (`cargo test -p flight-path-tests --test python_interop --test secure`),
# with that Python. Prints one line per Python and exits non-zero if any
# failed.
#
# The Pythons: this machine's own (Debian bookworm: 3.11, through
# scripts/python-venv.sh), and one chroot per other Python, made once by
# debootstrap under target/python-versions/:
#
#   bullseye  Debian 11      Python 3.9
#   jammy     Ubuntu 22.04   Python 3.10 (no Debian release has 3.10)
#   noble     Ubuntu 24.04   Python 3.12
#   trixie    Debian 13      Python 3.13
#
# In the Ubuntu chroots it also asks apt whether the set-up chapter's
# `apt-get install` line (book/src/fragments/setup-commands.md) names packages
# that exist there (apt-get --simulate). SUSE's zypper line cannot be checked
# here: no SUSE mirror is reachable from this machine (tests/tests/setup.rs
# parses it with bash -n).
#
#   scripts/test-python-versions.sh             all of them
#   scripts/test-python-versions.sh jammy host  some of them
#
# Needs root (debootstrap, chroot, namespaces) and Debian's debootstrap, gpg
# and iproute2; about 2 minutes per chroot the first time (about 500 MB
# each), seconds after: everything is cached under target/python-versions/,
# made again only when what it holds changes. It is not run by `cargo test`
# (root, and about 10 minutes the first time): run it by hand after changing
# python/requirements.txt. The same way of running the page's programs as
# scripts/test-arm64.sh, without emulation.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
self="$root/scripts/$(basename "$0")"
cd "$root"

cache="$root/target/python-versions"
logs="$cache/logs"
setup_commands="$root/book/src/fragments/setup-commands.md"
expected_server_line="$(cat "$root/tests/expected/server.txt")"
expected_client_output="$(cat "$root/tests/expected/client.txt")"
server="$root/target/debug/solution-02-server"
client="$root/target/debug/solution-04-client"

# name, distribution, mirror
systems=(
    "bullseye debian http://deb.debian.org/debian"
    "jammy ubuntu http://archive.ubuntu.com/ubuntu"
    "noble ubuntu http://archive.ubuntu.com/ubuntu"
    "trixie debian http://deb.debian.org/debian"
)
includes=python3,python3-venv,ca-certificates

# Ubuntu's archive key (Ubuntu Archive Automatic Signing Key (2018)), which
# signs jammy and noble: debootstrap checks their Release files with it.
ubuntu_key=F6ECB3762474EDA9D21B7022871920D1991BC93C
ubuntu_keyring_deb=pool/main/u/ubuntu-keyring/ubuntu-keyring_2021.03.26_all.deb

die() {
    echo "error: $*" >&2
    exit 1
}

# ---------------------------------------------------------------------------
# In the network namespace: the page's programs against ours, on port 8815.
# This part is the script calling itself there (unshare below).
# ---------------------------------------------------------------------------

# start_and_wait_for_line, stop_server
. "$root/scripts/lib/servers.sh"

# $1: the chroot ("" for this machine's Python), $2: the results file.
page_programs_in_namespace() {
    local rootfs=$1 results=$2 log=$logs/$3
    local python page
    if [ -n "$rootfs" ]; then
        mount -t proc proc "$rootfs/proc"
        mount --bind /dev "$rootfs/dev"
        python=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
            chroot "$rootfs" /opt/pyarrow-venv/bin/python -u)
        page=/root/page
    else
        python=("$root/target/pyarrow-venv/bin/python" -u)
        page=$root/python
    fi
    ip link set lo up
    trap stop_server EXIT
    : >"$results"

    # The page's client -> our server, as the learner starts it (no flags).
    local ok=n
    if start_and_wait_for_line "$log-our-server.out" "$log-our-server.err" "$server"; then
        if timeout 120 "${python[@]}" "$page/flight_client.py" \
            >"$log-page-client.out" 2>"$log-page-client.err" &&
            [ "$(cat "$log-our-server.out")" = "$expected_server_line" ] &&
            [ "$(cat "$log-page-client.out")" = "$expected_client_output" ]; then
            ok=y
        fi
    fi
    stop_server
    echo "page_client=$ok" >>"$results"

    # Our client (grpc://127.0.0.1:8815) -> the page's server.
    ok=n
    if start_and_wait_for_line "$log-page-server.out" "$log-page-server.err" \
        "${python[@]}" "$page/flight_server.py"; then
        if timeout 120 "$client" >"$log-our-client.out" 2>"$log-our-client.err" &&
            [ "$(cat "$log-page-server.out")" = "$expected_server_line" ] &&
            [ "$(cat "$log-our-client.out")" = "$expected_client_output" ]; then
            ok=y
        fi
    fi
    stop_server
    echo "page_server=$ok" >>"$results"
}

if [ "${1:-}" = "--page-programs-in-namespace" ]; then
    page_programs_in_namespace "$2" "$3" "$4"
    exit 0
fi

# ---------------------------------------------------------------------------
# What this needs.
# ---------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root: debootstrap, chroot and network namespaces need it"
for tool in debootstrap gpg dpkg-deb unshare chroot ip curl; do
    command -v "$tool" >/dev/null ||
        die "$tool is missing (Debian: apt-get install debootstrap gpg dpkg iproute2 curl util-linux)"
done
[ -r /usr/share/keyrings/debian-archive-keyring.gpg ] ||
    die "Debian's archive keyring is missing (apt-get install debian-archive-keyring)"

wanted=("$@")
[ "${#wanted[@]}" -gt 0 ] || wanted=(host bullseye jammy noble trixie)
for name in "${wanted[@]}"; do
    case " host ${systems[*]} " in
    *" $name "*) ;;
    *) die "unknown Python system '$name': pick among host bullseye jammy noble trixie" ;;
    esac
done

mkdir -p "$logs"
echo "== our server and client: cargo build"
cargo build --locked --quiet -p solution-02-server -p solution-04-client ||
    die "cargo could not build solution-02-server and solution-04-client (its message is above)"

# ---------------------------------------------------------------------------
# A chroot per Python, made once.
# ---------------------------------------------------------------------------

# A command in a chroot, in a mount namespace of its own: /proc and /dev are
# mounted there only, so nothing stays mounted under target/.
in_chroot() {
    local rootfs=$1
    shift
    # shellcheck disable=SC2016 # expanded by the inner bash
    unshare --mount --fork --kill-child -- bash -c '
        mount -t proc proc "$0/proc" && mount --bind /dev "$0/dev" || exit 1
        exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
            PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
            PIP_CERT=/etc/ssl/certs/ca-certificates.crt chroot "$0" "$@"' "$rootfs" "$@"
}

# Ubuntu's archive key, alone in a keyring: taken from Ubuntu's keyring
# package, and used only if it is the key whose fingerprint is written above.
ubuntu_keyring() {
    local keyring="$cache/ubuntu-archive-2018.gpg"
    if [ ! -s "$keyring" ]; then
        local work
        work=$(mktemp -d)
        curl -fsS -o "$work/keyring.deb" "http://archive.ubuntu.com/ubuntu/$ubuntu_keyring_deb" ||
            die "cannot download Ubuntu's keyring package from archive.ubuntu.com"
        dpkg-deb -x "$work/keyring.deb" "$work/x"
        gpg --homedir "$work" --quiet --import "$work/x/usr/share/keyrings/ubuntu-archive-keyring.gpg" 2>/dev/null
        gpg --homedir "$work" --export "$ubuntu_key" >"$keyring.new"
        gpg --show-keys --with-colons "$keyring.new" 2>/dev/null | grep -q "^fpr:*$ubuntu_key:" ||
            die "Ubuntu's keyring package has no key $ubuntu_key: not using it"
        mv "$keyring.new" "$keyring"
        rm -rf "$work"
    fi
    echo "$keyring"
}

# Makes target/python-versions/NAME (once) and its venv (again when
# python/requirements.txt changes).
make_chroot() {
    local name=$1 distribution=$2 mirror=$3
    local rootfs="$cache/$name" stamp="$cache/$name/.flight-path"
    local venv_stamp="$rootfs/opt/pyarrow-venv/.requirements"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$includes" ]; then
        echo "== $name: debootstrap with $includes into target/python-versions/$name (once, about 2 minutes)"
        if findmnt -rn -o TARGET | grep -qF "$rootfs/"; then
            die "something is mounted under $rootfs: unmount it first"
        fi
        rm -rf "$rootfs"
        local options=(--variant=minbase --include="$includes")
        local script=()
        if [ "$distribution" = ubuntu ]; then
            local keyring
            keyring=$(ubuntu_keyring)
            # python3-venv is in universe (on by default on Ubuntu's cloud images).
            # shellcheck disable=SC2054 # the commas are the option's
            options+=(--keyring="$keyring" --components=main,universe)
            # An older debootstrap has no script for a newer Ubuntu: all
            # Ubuntu releases since 7.10 share gutsy's.
            [ -e "/usr/share/debootstrap/scripts/$name" ] || script=(/usr/share/debootstrap/scripts/gutsy)
        else
            options+=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
        fi
        debootstrap "${options[@]}" "$name" "$rootfs" "$mirror" "${script[@]}" \
            >"$logs/$name-debootstrap.log" 2>&1 ||
            die "debootstrap $name failed: see target/python-versions/logs/$name-debootstrap.log"
        # pip reaches PyPI through this machine's TLS set-up: the chroot
        # trusts the same certificate authorities as the host.
        if [ -d /usr/local/share/ca-certificates ]; then
            cp -a /usr/local/share/ca-certificates/. "$rootfs/usr/local/share/ca-certificates/"
        fi
        in_chroot "$rootfs" update-ca-certificates >"$logs/$name-ca.log" 2>&1 ||
            die "update-ca-certificates failed in $name: see target/python-versions/logs/$name-ca.log"
        echo "$includes" >"$stamp"
        rm -f "$venv_stamp"
    fi
    if ! cmp -s python/requirements.txt "$venv_stamp"; then
        echo "== $name: a venv from python/requirements.txt (once)"
        cp python/requirements.txt "$rootfs/opt/requirements.txt"
        rm -rf "$rootfs/opt/pyarrow-venv"
        in_chroot "$rootfs" python3 -m venv /opt/pyarrow-venv >"$logs/$name-venv.log" 2>&1 ||
            die "python3 -m venv failed in $name: see target/python-versions/logs/$name-venv.log"
        in_chroot "$rootfs" /opt/pyarrow-venv/bin/pip install --quiet --only-binary=:all: \
            -r /opt/requirements.txt >>"$logs/$name-venv.log" 2>&1 ||
            die "pip could not install python/requirements.txt in $name (is PyPI reachable?): see target/python-versions/logs/$name-venv.log"
        cp python/requirements.txt "$venv_stamp"
    fi
    mkdir -p "$rootfs/root/page"
    cp python/flight_server.py python/flight_client.py "$rootfs/root/page/"
}

# Ubuntu: does apt know every package of the set-up chapter's apt-get line?
# Kept in a stamp: asked again only when the line changes.
check_apt_line() {
    local name=$1 rootfs="$cache/$1"
    local line packages
    line=$(sed -n 's/^\$ sudo apt-get install -y //p' "$setup_commands")
    [ -n "$line" ] || die "no '\$ sudo apt-get install -y' line in $setup_commands"
    read -r -a packages <<<"$line"
    if [ "$(cat "$rootfs/.apt-line" 2>/dev/null)" = "$line" ]; then
        echo "y"
        return
    fi
    if in_chroot "$rootfs" apt-get update -q >"$logs/$name-apt.log" 2>&1 &&
        in_chroot "$rootfs" apt-get install --simulate -q "${packages[@]}" >>"$logs/$name-apt.log" 2>&1; then
        echo "$line" >"$rootfs/.apt-line"
        echo "y"
    else
        echo "n"
    fi
}

# The tests that use pyarrow (`cargo test`'s python_interop and secure), with
# this Python (FLIGHT_PATH_PYTHON, see tests/src/lib.rs): for a chroot's, a
# wrapper that runs it there, with the workspace and /tmp mounted in it at
# their own paths (in a mount namespace of their own). Prints y or n.
run_pyarrow_tests() {
    local name=$1 rootfs=$2 python
    local tests=(cargo test --locked -p flight-path-tests --test python_interop --test secure)
    if [ -z "$rootfs" ]; then
        FLIGHT_PATH_PYTHON="$root/target/pyarrow-venv/bin/python" "${tests[@]}" \
            >"$logs/$name-cargo-test.log" 2>&1 && echo y || echo n
        return
    fi
    python="$cache/$name-python"
    printf '#!/bin/sh\nexec chroot "%s" /opt/pyarrow-venv/bin/python "$@"\n' "$rootfs" >"$python"
    chmod +x "$python"
    mkdir -p "$rootfs$root"
    # shellcheck disable=SC2016 # expanded by the inner bash
    FLIGHT_PATH_PYTHON="$python" unshare --mount --fork --kill-child -- bash -c '
        rootfs=$1 root=$2
        shift 2
        mount -t proc proc "$rootfs/proc" && mount --bind /dev "$rootfs/dev" &&
            mount --bind /tmp "$rootfs/tmp" && mount --bind "$root" "$rootfs$root" || exit 1
        exec "$@"' bash "$rootfs" "$root" "${tests[@]}" >"$logs/$name-cargo-test.log" 2>&1 &&
        echo y || echo n
}

# ---------------------------------------------------------------------------
# Each Python in turn.
# ---------------------------------------------------------------------------
summary=()
failed=0
for name in "${wanted[@]}"; do
    if [ "$name" = host ]; then
        rootfs=
        scripts/python-venv.sh >/dev/null || die "scripts/python-venv.sh failed (its message is above)"
        # shellcheck disable=SC1091
        where="this machine ($(. /etc/os-release && echo "$PRETTY_NAME"))"
        describe=("$root/target/pyarrow-venv/bin/python")
        apt_line=-
    else
        read -r _ distribution mirror <<<"$(printf '%s\n' "${systems[@]}" | grep "^$name ")"
        make_chroot "$name" "$distribution" "$mirror"
        rootfs="$cache/$name"
        # shellcheck disable=SC1091
        where="$(. "$rootfs/etc/os-release" && echo "$PRETTY_NAME")"
        describe=(in_chroot "$rootfs" /opt/pyarrow-venv/bin/python)
        apt_line=-
        [ "$distribution" = ubuntu ] && apt_line=$(check_apt_line "$name")
    fi
    versions=$("${describe[@]}" -c \
        'import platform, pyarrow; print("Python", platform.python_version(), "pyarrow", pyarrow.__version__)') ||
        die "the Python of $name cannot import pyarrow"
    results="$logs/$name.results"
    unshare --net --mount --fork --kill-child -- "$self" --page-programs-in-namespace \
        "$rootfs" "$results" "$name" || echo "$name: the page's programs could not be run (see above)" >&2
    page_client=$(sed -n 's/^page_client=//p' "$results" 2>/dev/null)
    page_server=$(sed -n 's/^page_server=//p' "$results" 2>/dev/null)
    pyarrow_tests=$(run_pyarrow_tests "$name" "$rootfs")
    verdict=pass
    if [ "${page_client:-n}" != y ] || [ "${page_server:-n}" != y ] ||
        [ "$pyarrow_tests" != y ] || [ "$apt_line" = n ]; then
        verdict=FAIL
        failed=$((failed + 1))
    fi
    line="$versions, $where: page's client -> our server ${page_client:-n}, our client -> page's server ${page_server:-n}, pyarrow tests $pyarrow_tests"
    [ "$apt_line" = - ] || line+=", set-up apt-get line ${apt_line}"
    summary+=("$verdict  $line")
    echo "== $verdict  $line"
    if [ "$verdict" = FAIL ]; then
        echo "   (logs: target/python-versions/logs/$name-*)"
    fi
done

echo
echo "== every pinned pyarrow, on its Python"
printf '%s\n' "${summary[@]}"
if [ "$failed" -gt 0 ]; then
    echo "== $failed of ${#summary[@]} FAILED"
    exit 1
fi
echo "== all ${#summary[@]} passed"
