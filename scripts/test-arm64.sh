#!/usr/bin/env bash
# Arm64, emulated on an x86-64 machine: cross-builds the workspace for
# aarch64-unknown-linux-gnu, runs the whole test suite (`cargo test`, the
# README's command, with the same snapshots) on aarch64 under qemu-user, then
# runs the page's two Python programs, verbatim, as aarch64 Python + pyarrow in
# an arm64 Debian userland against our aarch64 binaries, both ways, and checks
# what they print against the page. Prints a summary; exits non-zero on any
# failure.
#
# A learner on a real Arm64 machine needs none of this: there, `cargo test` is
# native. This script exists because our machines are x86-64 (README, "Arm64,
# emulated": why it is not yet a step of .ci/run).
#
# Needs root (apt, binfmt_misc, chroot) and Debian bookworm. Installs what is
# missing, only when it is missing; caches everything under target/ (the
# aarch64 build in target/aarch64, the userland in target/arm64-userland), so
# a second run rebuilds nothing. The main target/debug is never touched: other
# commands rely on its artifacts.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
self="$root/scripts/$(basename "$0")"
cd "$root"

triple=aarch64-unknown-linux-gnu
# Its own target directory: an aarch64 build in target/debug would replace the
# x86-64 binaries that `cargo run` and the x86-64 tests use.
target_dir="$root/target/aarch64"
bin_dir="$target_dir/$triple/debug"
userland="$root/target/arm64-userland"
logs="$target_dir/logs"
# The page's source, to take its programs from; without it, python/'s copies.
page="${FLIGHT_PATH_PAGE:-/work/shared/seed/arrow-flight-on-arm64.md}"
# The page's outputs, as the project keeps them (copied from the page).
expected_server_line="$(cat "$root/tests/expected/server.txt")"
expected_client_output="$(cat "$root/tests/expected/client.txt")"

die() {
    echo "error: $*" >&2
    exit 1
}

now() { date +%s; }

# ---------------------------------------------------------------------------
# The page's programs, run inside a network namespace and a mount namespace of
# their own (see step 6 below): this part is the script calling itself there,
# and it ends at the `exit` after these functions.
# ---------------------------------------------------------------------------

# start_and_wait_for_line, stop_server
. "$root/scripts/lib/servers.sh"
# Importing pyarrow under qemu takes seconds: a server has two minutes to start.
START_SECONDS=120

# Inside the namespaces: 127.0.0.1:8815 is ours whatever runs on the machine's
# own port 8815 (a learner's server, another test run), so the page's
# programs run unchanged, with their port 8815 written in them.
page_programs_in_namespace() {
    local results=$1
    # The aarch64 Python runs in the userland (chroot): it needs /proc and /dev.
    # These mounts exist only in this mount namespace and vanish with it.
    mount -t proc proc "$userland/proc"
    mount --bind /dev "$userland/dev"
    ip link set lo up
    trap stop_server EXIT

    # Python as the page runs it, but unbuffered (-u): the page's server
    # prints its line without a flush, and stdout here is a file, not a
    # terminal, so the line would only appear when the server stops.
    local python=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8
        chroot "$userland" /opt/pyarrow-venv/bin/python -u)

    : >"$results"
    # 1. The page's client -> our aarch64 server, as the learner starts it (no
    # flags: 0.0.0.0, port 8815).
    local ok=n
    if start_and_wait_for_line "$logs/our-server.out" "$logs/our-server.err" \
        "$bin_dir/solution-02-server"; then
        if timeout 300 "${python[@]}" /root/page/flight_client.py \
            >"$logs/page-client.out" 2>"$logs/page-client.err" &&
            [ "$(cat "$logs/our-server.out")" = "$expected_server_line" ] &&
            [ "$(cat "$logs/page-client.out")" = "$expected_client_output" ]; then
            ok=y
        fi
    fi
    stop_server
    echo "page_client_to_our_server=$ok" >>"$results"

    # 2. Our aarch64 client (no flags: grpc://127.0.0.1:8815) -> the page's server.
    ok=n
    if start_and_wait_for_line "$logs/page-server.out" "$logs/page-server.err" \
        "${python[@]}" /root/page/flight_server.py; then
        if timeout 300 "$bin_dir/solution-04-client" \
            >"$logs/our-client.out" 2>"$logs/our-client.err" &&
            [ "$(cat "$logs/page-server.out")" = "$expected_server_line" ] &&
            [ "$(cat "$logs/our-client.out")" = "$expected_client_output" ]; then
            ok=y
        fi
    fi
    stop_server
    echo "our_client_to_page_server=$ok" >>"$results"
}

if [ "${1:-}" = "--page-programs-in-namespace" ]; then
    page_programs_in_namespace "$2"
    exit 0
fi

# ---------------------------------------------------------------------------
# 1. What is missing, from Debian's packages.
# ---------------------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root: the script installs packages, registers qemu with binfmt_misc and uses chroot"
[ -r /etc/debian_version ] && command -v apt-get >/dev/null ||
    die "this script needs Debian (bookworm) and apt-get: it installs Debian's packages"

# rustc-web/cargo-web: Debian's own Rust (bookworm-security carries a recent
# one), whose aarch64 standard library comes as a package; rustup's toolchain
# has no aarch64 std here and cannot fetch one. gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross link; qemu-user-static and binfmt-support run aarch64
# programs; debootstrap makes the arm64 userland; iproute2 gives ip and ss.
packages=(rustc-web cargo-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu
    libc6-dev-arm64-cross qemu-user-static binfmt-support debootstrap iproute2)

installed() { [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]; }

# The workspace's rust-version, e.g. 1.88: an older Debian rustc is as good as missing.
rust_version_needed=$(sed -n 's/^rust-version = "\([0-9.]*\)"/\1/p' Cargo.toml)
rustc_recent_enough() {
    local have
    have=$(/usr/bin/rustc --version 2>/dev/null | awk '{print $2}') || return 1
    [ -n "$have" ] &&
        [ "$(printf '%s\n%s\n' "$rust_version_needed" "${have%%-*}" | sort -V | head -n1)" = "$rust_version_needed" ]
}

apt_start=$(now)
missing=()
for package in "${packages[@]}"; do
    installed "$package" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ] || ! rustc_recent_enough; then
    echo "== apt: installing ${missing[*]:-a newer rustc-web}"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        # For libstd-rust-web-dev:arm64, the aarch64 standard library.
        dpkg --add-architecture arm64
    fi
    export DEBIAN_FRONTEND=noninteractive
    # An unreachable third-party source must not stop us: the install below
    # says clearly if Debian's own packages cannot be had.
    apt-get update -q || echo "warning: apt-get update reported errors (see above); trying to install anyway" >&2
    apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${packages[@]}" ||
        die "apt-get could not install ${packages[*]} (are Debian's mirrors, including bookworm-security, reachable? apt's message is above)"
    rustc_recent_enough ||
        die "Debian's rustc-web is $(/usr/bin/rustc --version), older than the workspace's rust-version $rust_version_needed: enable bookworm-security in apt's sources"
fi
apt_seconds=$(($(now) - apt_start))
echo "== apt: ${apt_seconds}s"

# ---------------------------------------------------------------------------
# 2. binfmt_misc: the kernel hands aarch64 programs to qemu. The tests exec
# the aarch64 binaries they build, so this must be on, not only a cargo runner.
# ---------------------------------------------------------------------------
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then
    mount -t binfmt_misc binfmt_misc "$binfmt" || die "cannot mount binfmt_misc on $binfmt"
fi
if ! grep -qx enabled "$binfmt/qemu-aarch64" 2>/dev/null; then
    update-binfmts --enable qemu-aarch64 || die "update-binfmts cannot enable qemu-aarch64"
fi
# qemu-user must NOT be given -L /usr/aarch64-linux-gnu (QEMU_LD_PREFIX): that
# pairs the cross toolchain's loader with the multiarch libc, and any program
# that starts a thread hangs. Without it, qemu takes the loader and libc from
# the multiarch paths, which libc6:arm64 fills consistently.
[ -z "${QEMU_LD_PREFIX:-}" ] || die "unset QEMU_LD_PREFIX: qemu must use the multiarch loader and libc"
# And no cargo runner: started as `qemu-aarch64-static prog`, a process is
# named after qemu by the kernel (its comm, which ss and verify-port show, is
# "qemu-aarch64-st"), while qemu fakes /proc/self/stat with the program's
# name. Started through binfmt_misc, as here, it keeps its own name, as on a
# real Arm64 machine, and the snapshots hold unchanged.
unset CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER

# ---------------------------------------------------------------------------
# 3. Cross-build, with Debian's cargo and rustc, into target/aarch64.
# ---------------------------------------------------------------------------
# What `cargo test` fetches by itself, fetched first with the machine's own
# tools, as the x86-64 run does: mdbook (target/tools) must stay an x86-64
# program, and the tests' pyarrow venv (target/pyarrow-venv) is the x86-64
# Python's (see "Which Python" in the README section "Arm64 in CI").
tools_start=$(now)
scripts/install-mdbook.sh >/dev/null
scripts/python-venv.sh >/dev/null
tools_seconds=$(($(now) - tools_start))

mkdir -p "$logs" "$target_dir/toolchain"
# rustup's cargo and rustc come first on PATH and have no aarch64 std; the
# tests run nested cargo (through $CARGO) and the tutor too, and rustdoc
# compiles the doctests: all of them must be Debian's.
for tool in cargo rustc rustdoc; do
    [ -x "/usr/bin/$tool" ] || die "/usr/bin/$tool is missing: reinstall rustc-web and cargo-web"
    ln -sf "/usr/bin/$tool" "$target_dir/toolchain/$tool"
done
export PATH="$target_dir/toolchain:$PATH"
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
# CARGO_BUILD_TARGET rather than only --target: the harness and the tutor run
# nested cargo builds, which must build for aarch64 too.
export CARGO_BUILD_TARGET=$triple
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_DIR=$target_dir
# The tests stop on an unaccepted snapshot change rather than write .snap.new.
export CI=true

echo "== cross-build for $triple ($(/usr/bin/cargo --version), $(/usr/bin/rustc --version))"
build_start=$(now)
# What `cargo test` builds, and the binaries the harness builds (the default
# members' --bins, as tools/harness does), so that the test phase below only
# runs tests.
/usr/bin/cargo build --locked --bins
/usr/bin/cargo test --locked --no-run
build_seconds=$(($(now) - build_start))
echo "== cross-build: ${build_seconds}s"
readelf -h "$bin_dir/solution-02-server" | grep -q 'Machine: *AArch64' ||
    die "$bin_dir/solution-02-server is not an aarch64 program"

# ---------------------------------------------------------------------------
# 4. The whole test suite, on aarch64 under qemu: the README's command.
# ---------------------------------------------------------------------------
echo "== cargo test, for $triple, under qemu-user"
test_start=$(now)
set +e
# --no-fail-fast: every test binary runs, so the counts below are the whole suite's.
/usr/bin/cargo test --locked --no-fail-fast 2>&1 | tee "$logs/cargo-test.log"
test_status=${PIPESTATUS[0]}
set -e
test_seconds=$(($(now) - test_start))
echo "== tests under qemu: ${test_seconds}s"
# Each test binary ends with "test result: ok. 5 passed; 0 failed; 1 ignored; ...".
count() {
    sed -n "s/^test result: .* \([0-9][0-9]*\) $1;.*/\1/p" "$logs/cargo-test.log" |
        awk '{ sum += $1 } END { print sum + 0 }'
}
tests_passed=$(count passed)
tests_failed=$(count failed)
tests_ignored=$(count ignored)
# A test binary that crashed prints no result line: the exit status tells.
if [ "$test_status" -ne 0 ] && [ "$tests_failed" -eq 0 ]; then
    tests_failed="? (cargo test exited with $test_status)"
fi

# ---------------------------------------------------------------------------
# 5. The arm64 userland: Debian bookworm, python3 and a venv with the pinned
# pyarrow's aarch64 wheel. Made once; rebuilt only when what it holds changes.
# ---------------------------------------------------------------------------
userland_start=$(now)
userland_includes=python3,python3-venv,ca-certificates
userland_stamp="$userland/.flight-path-userland"
venv_stamp="$userland/opt/pyarrow-venv/.requirements"

# A command in the userland, in a mount namespace of its own: the /proc and
# /dev it needs are mounted there only, so nothing stays mounted under
# target/ if the script is stopped (a `cargo clean` would walk into it).
in_userland() {
    unshare --mount --fork --kill-child -- bash -c '
        mount -t proc proc "$0/proc" && mount --bind /dev "$0/dev" || exit 1
        exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 \
            PIP_CERT=/etc/ssl/certs/ca-certificates.crt chroot "$0" "$@"' "$userland" "$@"
}

if [ "$(cat "$userland_stamp" 2>/dev/null)" != "$userland_includes" ]; then
    echo "== arm64 userland: debootstrap bookworm with $userland_includes into target/arm64-userland (once)"
    if findmnt -rn -o TARGET | grep -qF "$userland/"; then
        die "something is mounted under $userland: unmount it first"
    fi
    rm -rf "$userland"
    # --foreign, then the second stage inside: it runs the arm64 maintainer
    # scripts, through qemu.
    debootstrap --arch=arm64 --variant=minbase --foreign --include="$userland_includes" \
        bookworm "$userland" http://deb.debian.org/debian >"$logs/debootstrap.log" 2>&1 ||
        die "debootstrap (first stage) failed: see $logs/debootstrap.log"
    in_userland /debootstrap/debootstrap --second-stage >>"$logs/debootstrap.log" 2>&1 ||
        die "debootstrap (second stage, under qemu) failed: see $logs/debootstrap.log"
    echo "$userland_includes" >"$userland_stamp"
    rm -f "$venv_stamp"
fi
if ! cmp -s python/requirements.txt "$venv_stamp"; then
    echo "== arm64 userland: a venv with python/requirements.txt's pyarrow for aarch64 (once)"
    # pip reaches PyPI through this machine's TLS set-up: the userland must
    # trust the same certificate authorities as the host.
    if [ -d /usr/local/share/ca-certificates ]; then
        cp -a /usr/local/share/ca-certificates/. "$userland/usr/local/share/ca-certificates/"
    fi
    in_userland update-ca-certificates >"$logs/update-ca-certificates.log" 2>&1 ||
        die "update-ca-certificates failed in the arm64 userland"
    cp python/requirements.txt "$userland/opt/requirements.txt"
    rm -rf "$userland/opt/pyarrow-venv"
    in_userland python3 -m venv /opt/pyarrow-venv || die "python3 -m venv failed in the arm64 userland"
    in_userland /opt/pyarrow-venv/bin/pip install --quiet -r /opt/requirements.txt ||
        die "pip could not install $(tr '\n' ' ' <python/requirements.txt)in the arm64 userland (is PyPI reachable? pip's message is above)"
    cp python/requirements.txt "$venv_stamp"
fi
userland_seconds=$(($(now) - userland_start))
echo "== arm64 userland: ${userland_seconds}s"
userland_python=$(in_userland /opt/pyarrow-venv/bin/python -c \
    'import platform, pyarrow; print(f"Python {platform.python_version()} on {platform.machine()}, pyarrow {pyarrow.__version__}")') ||
    die "the arm64 userland's Python cannot import pyarrow"
case $userland_python in
*" on aarch64, "*) echo "== arm64 userland: $userland_python" ;;
*) die "the userland's Python is not an aarch64 program: $userland_python" ;;
esac

# ---------------------------------------------------------------------------
# 6. The page's two programs, verbatim, as aarch64 Python + pyarrow, against
# our aarch64 server and client.
# ---------------------------------------------------------------------------
page_start=$(now)
mkdir -p "$userland/root/page"
if [ -r "$page" ]; then
    # The page's code blocks, as written (the server's is tagged "pyhton"):
    # each block to a file, then each program picked by what it is.
    blocks=$(mktemp -d)
    awk -v dir="$blocks" '
        /^```(pyhton|python)[[:space:]]*$/ { inside = 1; n++; next }
        /^```/ && inside { inside = 0; next }
        inside { print > (dir "/" n ".py") }' "$page"
    server_py=$(grep -l 'FlightServerBase' "$blocks"/*.py | head -n1) || true
    client_py=$(grep -l 'FlightClient' "$blocks"/*.py | head -n1) || true
    [ -n "$server_py" ] && [ -n "$client_py" ] || die "cannot find the two Python programs in $page"
    cp "$server_py" "$userland/root/page/flight_server.py"
    cp "$client_py" "$userland/root/page/flight_client.py"
    rm -rf "$blocks"
    source_of_programs="the page, $page"
    # The outputs we check are the project's copies of the page's: they must
    # still be what the page shows.
    grep -qxF "$expected_server_line" "$page" ||
        die "tests/expected/server.txt is no longer what the page shows"
    grep -qxF "$(tail -n1 <<<"$expected_client_output")" "$page" ||
        die "tests/expected/client.txt is no longer what the page shows"
else
    # python/'s copies are the page's programs byte for byte (a test compares
    # them with the page's code blocks).
    cp python/flight_server.py python/flight_client.py "$userland/root/page/"
    source_of_programs="python/ (the page is not at $page)"
fi
echo "== the page's programs (from $source_of_programs) as aarch64 Python + pyarrow, against our aarch64 binaries"
results="$logs/page-programs.results"
# A network namespace of our own: port 8815 there is always free.
unshare --net --mount --fork --kill-child -- "$self" --page-programs-in-namespace "$results" ||
    echo "the page's programs could not be run (see above)" >&2
page_client_to_our_server=$(sed -n 's/^page_client_to_our_server=//p' "$results" 2>/dev/null)
our_client_to_page_server=$(sed -n 's/^our_client_to_page_server=//p' "$results" 2>/dev/null)
page_seconds=$(($(now) - page_start))
show_if_failed() {
    [ "$1" = y ] && return
    for file in "${@:2}"; do
        echo "--- $file"
        cat "$logs/$file" 2>/dev/null || true
    done
}
show_if_failed "${page_client_to_our_server:-n}" our-server.out our-server.err page-client.out page-client.err
show_if_failed "${our_client_to_page_server:-n}" page-server.out page-server.err our-client.out our-client.err

# ---------------------------------------------------------------------------
# Summary.
# ---------------------------------------------------------------------------
echo
echo "== Arm64 (aarch64 under qemu-user) summary"
echo "aarch64 tests (cargo test): $tests_passed passed, $tests_failed failed, $tests_ignored ignored"
echo "page's programs run by: $userland_python"
echo "page's client -> our aarch64 server on port 8815, output matches the page: ${page_client_to_our_server:-n}"
echo "our aarch64 client -> page's server on port 8815, output matches the page: ${our_client_to_page_server:-n}"
echo "times: apt ${apt_seconds}s, mdbook and x86-64 pyarrow venv ${tools_seconds}s, cross-build ${build_seconds}s, tests under qemu ${test_seconds}s, userland ${userland_seconds}s, page's programs ${page_seconds}s"
echo "sizes: target/aarch64 $(du -sh "$target_dir" | cut -f1), target/arm64-userland $(du -sh "$userland" | cut -f1)"

[ "$test_status" -eq 0 ] && [ "$tests_failed" = 0 ] &&
    [ "${page_client_to_our_server:-n}" = y ] && [ "${our_client_to_page_server:-n}" = y ] || {
    echo "== Arm64: FAILED"
    exit 1
}
echo "== Arm64: passed"
