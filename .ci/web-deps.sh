#!/usr/bin/env bash
# System packages the web tests need: Debian's Chromium, which Playwright drives through
# executable_path (the browser Playwright would download is not used).
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends chromium
fi
