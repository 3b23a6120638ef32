#!/usr/bin/env bash
# Installs what LogCellar needs on a Debian machine with Swift: the C libraries it links and, with
# --for-tests, the real tools and client libraries the tests drive (Prometheus' promtool and
# Alertmanager, yamllint, docker-compose for `config` checks, protoc, and a Python virtualenv with the
# Loki and OpenTelemetry client libraries).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(libsqlite3-dev zlib1g-dev libpcre2-dev libsnappy-dev pkg-config)
if [ "${1:-}" = "--for-tests" ]; then
    apt_packages+=(python3-venv protobuf-compiler yamllint docker-compose prometheus prometheus-alertmanager)
fi

missing=()
for package in "${apt_packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    # The Debian packages of Prometheus and Alertmanager start services; tests start their own.
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    for service in prometheus prometheus-alertmanager prometheus-node-exporter; do
        $sudo_cmd service "$service" stop >/dev/null 2>&1 || true
    done
fi

if [ "${1:-}" = "--for-tests" ]; then
    if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import logging_loki, pytest, cramjam, opentelemetry.sdk, google.protobuf' 2>/dev/null; then
        python3 -m venv .venv
        .venv/bin/pip install -q --disable-pip-version-check -r Tests/integration/requirements.txt
    fi
fi
