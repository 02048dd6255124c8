#!/usr/bin/env bash
# Install a headless browser (Debian's ``chromium``) for the report's screenshot test and the
# PNG export of the SVG process flow diagram (carbonhub.report.browser).
#
# Idempotent: exits at once when ``chromium``, ``chromium-browser``, ``google-chrome`` or
# ``$CARBONHUB_BROWSER`` runs. Else, with apt-get and root (or sudo), installs ``chromium``
# from the distribution's package lists (refreshed when the first try fails). Elsewhere it
# says what to install and exits 0: the reports work without a browser; only the browser
# test needs one (and it fails on CI, where the platform has to provide one).
set -uo pipefail

log() { echo "install_browser: $*" >&2; }

for b in "${CARBONHUB_BROWSER:-}" chromium chromium-browser google-chrome; do
    if [[ -n "$b" ]] && command -v "$b" >/dev/null 2>&1; then
        exit 0
    fi
done
if ! command -v apt-get >/dev/null 2>&1; then
    log "no apt-get: install Chromium (or Chrome) yourself for the browser test, or set CARBONHUB_BROWSER"
    exit 0
fi
SUDO=()
if [[ "$(id -u)" != 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1 || ! sudo -n true 2>/dev/null; then
        log "not root and no password-less sudo: run 'apt-get install chromium' as root for the browser test"
        exit 0
    fi
    SUDO=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
log "installing Debian package: chromium"
if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; then
    log "apt-get install failed; refreshing package lists and retrying"
    "${SUDO[@]}" apt-get update -q >/dev/null 2>&1
    "${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 ||
        log "apt-get install chromium failed: the browser test will not run here"
fi
exit 0
