#!/usr/bin/env bash
# The book, served at http://localhost:3000 while you read it, rebuilt when a
# file changes (mdbook serve), with the mdbook the book is tested with:
# installed into target/tools the first time, if it is not on your PATH
# (about 5 minutes on 2 cores). Arguments go to mdbook serve:
#   scripts/book.sh --open        opens it in your browser
#   scripts/book.sh -p 3001       another port
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mdbook=$("$root/scripts/install-mdbook.sh")
exec "$mdbook" serve "$root/book" "$@"
