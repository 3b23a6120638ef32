#!/usr/bin/env bash
# Installs what LogCellar needs on a Debian machine with Swift: the C libraries it links, and a
# Python virtualenv with the real Loki client libraries the integration tests drive.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(libsqlite3-dev zlib1g-dev libpcre2-dev libsnappy-dev pkg-config python3-venv)
missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--with-python" ]; then
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import logging_loki, pytest' 2>/dev/null; then
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check -r Tests/integration/requirements.txt
    fi
fi
