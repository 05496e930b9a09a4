#!/usr/bin/env bash
# Regenerate the real SSH signature fixtures in test/fixtures/sshsig/ with ssh-keygen.
#
# Usage: bash scripts/generate-sshsig-fixtures.sh
#
# For each key type a key pair is generated in a temporary directory and the
# committed message is signed with `ssh-keygen -Y sign -n tfguard`. Only the
# .pub files, the .sig files and the `ssh-keygen -lf` output are copied; the
# private keys are thrown away with the temporary directory. Every signature is
# checked with `ssh-keygen -Y verify` before it is kept.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/test/fixtures/sshsig"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v ssh-keygen >/dev/null || { echo "ssh-keygen not found (apt-get install openssh-client)" >&2; exit 1; }

mkdir -p "$out"
# The signed payload: an approval-shaped text with a trailing newline. Kept if it exists,
# so regenerating only replaces keys and signatures.
if [[ ! -f "$out/message.txt" ]]; then
  printf '%s\n' '{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","approver":"alice","reason":"fixture"}' >"$out/message.txt"
fi

# name  ssh-keygen -t  -b
keys=(
  "ed25519    ed25519 -"
  "ecdsa-p256 ecdsa   256"
  "ecdsa-p384 ecdsa   384"
  "ecdsa-p521 ecdsa   521"
  "rsa-3072   rsa     3072"
)

# signature file      key         extra ssh-keygen -Y sign arguments
signatures=(
  "ed25519            ed25519     -"
  "ed25519-sha256     ed25519     hashalg=sha256"
  "ecdsa-p256         ecdsa-p256  -"
  "ecdsa-p384         ecdsa-p384  -"
  "ecdsa-p521         ecdsa-p521  -"
  "rsa-3072           rsa-3072    -"
  "rsa-3072-sha256    rsa-3072    hashalg=sha256"
)

: >"$work/fingerprints.txt"
for spec in "${keys[@]}"; do
  read -r name type bits <<<"$spec"
  args=(-q -t "$type" -N '' -C "tfguard-sshsig-$name" -f "$work/$name")
  if [[ "$bits" != - ]]; then args+=(-b "$bits"); fi
  ssh-keygen "${args[@]}"
  ssh-keygen -lf "$work/$name.pub" >>"$work/fingerprints.txt"
  cp "$work/$name.pub" "$out/$name.pub"
done

for spec in "${signatures[@]}"; do
  read -r name key option <<<"$spec"
  cp "$out/message.txt" "$work/$name.txt"
  args=(-Y sign -q -f "$work/$key" -n tfguard)
  if [[ "$option" != - ]]; then args+=(-O "$option"); fi
  ssh-keygen "${args[@]}" "$work/$name.txt"
  printf 'alice %s\n' "$(cat "$work/$key.pub")" >"$work/allowed_signers"
  ssh-keygen -Y verify -q -f "$work/allowed_signers" -I alice -n tfguard -s "$work/$name.txt.sig" <"$out/message.txt" >/dev/null
  cp "$work/$name.txt.sig" "$out/$name.sig"
done
cp "$work/fingerprints.txt" "$out/fingerprints.txt"

echo "wrote ${#keys[@]} keys and ${#signatures[@]} signatures to ${out#"$root"/} ($(ssh -V 2>&1))"
