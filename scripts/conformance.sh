#!/usr/bin/env bash
# Prints the tshark conformance tables (Markdown): dissect against tshark's
# JSON on the shared public captures ($DISSECT_SHARED_PCAPS, default
# ../shared/pcaps) and against a fresh tshark run on testdata/pcaps.
# Exit status 1 when a disagreement is not listed in
# internal/conformance/known.go, or dissect finds fewer PDUs than tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./cmd/conformance "$@"
