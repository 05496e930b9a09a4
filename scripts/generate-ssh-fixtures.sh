#!/usr/bin/env bash
# Regenerate the real SSH public-key fixtures in test/fixtures/ssh/ with ssh-keygen.
#
# Usage: bash scripts/generate-ssh-fixtures.sh
#
# Keys are generated in a temporary directory; only the .pub files and the
# `ssh-keygen -lf` output (fingerprints.txt) are copied. The private keys are
# thrown away with the temporary directory: the tests never need them.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/test/fixtures/ssh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v ssh-keygen >/dev/null || { echo "ssh-keygen not found" >&2; exit 1; }

# name  ssh-keygen -t  -b
keys=(
  "ed25519    ed25519 -"
  "rsa-3072   rsa     3072"
  "rsa-1024   rsa     1024"
  "ecdsa-p256 ecdsa   256"
  "ecdsa-p384 ecdsa   384"
  "ecdsa-p521 ecdsa   521"
)

mkdir -p "$out"
: >"$work/fingerprints.txt"
for spec in "${keys[@]}"; do
  read -r name type bits <<<"$spec"
  args=(-q -t "$type" -N '' -C "tfguard-fixture-$name" -f "$work/$name")
  if [[ "$bits" != - ]]; then args+=(-b "$bits"); fi
  ssh-keygen "${args[@]}"
  ssh-keygen -lf "$work/$name.pub" >>"$work/fingerprints.txt"
  cp "$work/$name.pub" "$out/$name.pub"
done
cp "$work/fingerprints.txt" "$out/fingerprints.txt"

echo "wrote ${#keys[@]} keys to ${out#"$root"/} ($(ssh -V 2>&1))"
