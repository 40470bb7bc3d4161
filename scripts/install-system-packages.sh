#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/system-packages.txt whose command is missing.
# Idempotent: does nothing when every command is there. Needs root (or prints the command).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
missing=()
while read -r package command; do
  [[ -z "${package}" || "${package}" == \#* ]] && continue
  if ! command -v "${command}" >/dev/null 2>&1 && [[ ! -x "${command}" ]]; then
    missing+=("${package}")
  fi
done < "${here}/system-packages.txt"

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "Runwright's tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
