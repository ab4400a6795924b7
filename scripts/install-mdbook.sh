#!/usr/bin/env bash
# Prints the path of an mdbook of the version this book is tested with,
# installing it into target/tools first if there is none (once: about
# 5 minutes on 2 cores). Progress goes to stderr, the path to stdout.
set -euo pipefail

version=0.5.4
root="$(cd "$(dirname "$0")/.." && pwd)"
local_mdbook="$root/target/tools/bin/mdbook"

for candidate in "$(command -v mdbook || true)" "$local_mdbook"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] &&
        [ "$("$candidate" --version 2>/dev/null)" = "mdbook v$version" ]; then
        echo "$candidate"
        exit 0
    fi
done

echo "Installing mdbook $version into target/tools (once, about 5 minutes on 2 cores)..." >&2
if ! cargo install mdbook --version "$version" --locked --root "$root/target/tools" >&2; then
    echo "error: could not install mdbook $version (is crates.io reachable?); install it yourself with: cargo install mdbook --version $version --locked" >&2
    exit 1
fi
echo "$local_mdbook"
