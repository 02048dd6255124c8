#!/usr/bin/env bash
# Build and install the solver binaries the equation-oriented (IDAES/Pyomo) twin needs:
#
#   * ``ipopt``: the real Ipopt AMPL executable, compiled from Debian's own ``coinor-ipopt``
#     source package against Debian's ``coinor-libipopt-dev`` (Ipopt 3.11.9 with MUMPS) and
#     ``libamplsolver-dev`` (the AMPL Solver Library, ASL);
#   * ``libpynumero_ASL.so``: PyNumero's ASL interface (IDAES's Jacobian diagnostics), built
#     with ``python -m pyomo.contrib.pynumero.build`` against the same Debian ASL.
#
# Usage: scripts/install_ipopt.sh [PREFIX_DIR]
#
# PREFIX_DIR defaults to ``$CARBONHUB_SOLVERS_DIR`` or else ``<sys.prefix>/share/carbonhub``
# of the project's Python (``$PYTHON``, else ``.venv/bin/python``, else ``python3``), which is
# exactly where ``carbonhub.eo._solver_env`` looks.  Layout written:
#
#   PREFIX_DIR/idaes/               IDAES data directory (IDAES_DATA)
#   PREFIX_DIR/idaes/bin/ipopt      the executable (IDAES puts this dir first on PATH)
#   PREFIX_DIR/idaes/bin/libpynumero_ASL.so
#   PREFIX_DIR/idaes/idaes.conf     IDAES global config: Ipopt linear_solver = mumps
#
# Idempotent: if everything is in place and ``ipopt --version`` runs, it exits at once.
# Set CARBONHUB_FORCE_REBUILD=1 to rebuild anyway.
#
# An Ipopt already on the machine is used before building one, first found of:
# ``$CARBONHUB_IPOPT`` (a path), ``$IDAES_DATA/bin/ipopt`` (e.g. from ``idaes get-extensions``),
# ``ipopt`` on ``PATH``, ``$CONDA_PREFIX/bin/ipopt`` (conda-forge's ``ipopt``). It is linked into
# PREFIX_DIR/idaes/bin, with a ``libpynumero_ASL.so`` found next to it (or in ``$CONDA_PREFIX/lib``,
# ``$PYOMO_CONFIG_DIR/lib``); only PyNumero is built when none is found. With no Ipopt on the
# machine, the Debian-source build below is the default.
#
# The source package comes through apt with a private deb-src list *derived* from the
# machine's own apt sources (deb822 ``*.sources`` and one-line ``*.list`` files), kept in a
# temporary directory with its own package lists, so the system's apt configuration and
# lists are left untouched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[install_ipopt] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------------------------------
# Where to install
# ---------------------------------------------------------------------------------------
if [[ -n "${PYTHON:-}" ]]; then
    PY="$PYTHON"
elif [[ -x "$ROOT/.venv/bin/python" ]]; then
    PY="$ROOT/.venv/bin/python"
else
    PY="$(command -v python3 || true)"
fi
[[ -n "$PY" ]] || die "no Python found (set PYTHON=...)"
# absolute path: the build steps below change directory
if [[ "$PY" != /* ]]; then
    if [[ -x "$PY" ]]; then PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")"; else PY="$(command -v "$PY")"; fi
fi

if [[ $# -ge 1 && -n "$1" ]]; then
    PREFIX="$1"
elif [[ -n "${CARBONHUB_SOLVERS_DIR:-}" ]]; then
    PREFIX="$CARBONHUB_SOLVERS_DIR"
else
    PREFIX="$("$PY" -c 'import os, sys; print(os.path.join(sys.prefix, "share", "carbonhub"))')"
fi
mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
DATA="$PREFIX/idaes"
BIN="$DATA/bin"
IPOPT="$BIN/ipopt"
PYNUMERO_LIB="$BIN/libpynumero_ASL.so"
CONF="$DATA/idaes.conf"

ipopt_ok() {
    [[ -x "$IPOPT" ]] && "$IPOPT" --version 2>/dev/null | grep -q '^Ipopt [0-9]'
}

write_conf() {
    # IDAES reads <IDAES_DATA>/idaes.conf (JSON) at import and merges it into idaes.cfg.
    # HSL (ma27/ma57, IDAES's default) is not available: Debian's Ipopt has MUMPS.
    mkdir -p "$DATA/testing"
    local tmp="$CONF.tmp.$$"
    cat >"$tmp" <<'JSON'
{
    "ipopt": {"options": {"linear_solver": "mumps"}},
    "ipopt_v2": {"options": {"linear_solver": "mumps"}}
}
JSON
    mv -f "$tmp" "$CONF"
}

if [[ "${CARBONHUB_FORCE_REBUILD:-0}" != 1 ]] && ipopt_ok && [[ -f "$PYNUMERO_LIB" && -f "$CONF" ]]; then
    log "already installed: $IPOPT ($("$IPOPT" --version | head -n1))"
    exit 0
fi

# ---------------------------------------------------------------------------------------
# An Ipopt already on the machine
# ---------------------------------------------------------------------------------------
runs_ipopt() { [[ -n "$1" && -x "$1" ]] && "$1" --version 2>/dev/null | grep -q '^Ipopt [0-9]'; }
NEED_IPOPT=1
if [[ "${CARBONHUB_FORCE_REBUILD:-0}" != 1 ]]; then
    if ipopt_ok; then
        NEED_IPOPT=0
    else
        for cand in "${CARBONHUB_IPOPT:-}" "${IDAES_DATA:+$IDAES_DATA/bin/ipopt}" \
                    "$(command -v ipopt 2>/dev/null || true)" "${CONDA_PREFIX:+$CONDA_PREFIX/bin/ipopt}"; do
            [[ -n "$cand" ]] || continue
            real="$(readlink -f "$cand" 2>/dev/null || echo "$cand")"
            [[ "$real" != "$(readlink -f "$IPOPT" 2>/dev/null || echo "$IPOPT")" ]] || continue
            if runs_ipopt "$real"; then
                mkdir -p "$BIN"
                ln -sfn "$real" "$IPOPT"
                log "using the Ipopt already on this machine: $real ($("$real" --version | head -n1))"
                NEED_IPOPT=0
                for lib in "$(dirname "$real")/libpynumero_ASL.so" "$(dirname "$cand")/libpynumero_ASL.so" \
                           "${CONDA_PREFIX:+$CONDA_PREFIX/lib/libpynumero_ASL.so}" \
                           "${PYOMO_CONFIG_DIR:+$PYOMO_CONFIG_DIR/lib/libpynumero_ASL.so}"; do
                    if [[ -n "$lib" && -f "$lib" && ! -e "$PYNUMERO_LIB" ]]; then
                        ln -sfn "$(readlink -f "$lib")" "$PYNUMERO_LIB"
                        log "using its PyNumero library: $lib"
                    fi
                done
                break
            fi
        done
    fi
    if ((NEED_IPOPT == 0)) && [[ -f "$PYNUMERO_LIB" ]]; then
        write_conf
        log "done: IDAES data directory $DATA (Ipopt $("$IPOPT" --version | head -n1))"
        exit 0
    fi
fi

# ---------------------------------------------------------------------------------------
# Debian packages (installed only when missing)
# ---------------------------------------------------------------------------------------
command -v apt-get >/dev/null || die "apt-get not found: building Ipopt/PyNumero needs Debian/Ubuntu; elsewhere install an Ipopt with its libpynumero_ASL.so (e.g. from conda) and rerun, or set CARBONHUB_IPOPT"

if ((NEED_IPOPT)); then
    PKGS=(coinor-libipopt-dev libamplsolver-dev dpkg-dev g++ make cmake pkg-config)
else  # only PyNumero's ASL interface is missing
    PKGS=(libamplsolver-dev g++ make cmake)
fi
missing=()
for p in "${PKGS[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    SUDO=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || die "missing packages (${missing[*]}): run as root or install them"
        SUDO=(sudo)
    fi
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"; then
        log "apt-get install failed; refreshing package lists and retrying"
        "${SUDO[@]}" apt-get update -q
        "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/carbonhub-ipopt.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"

ASL_INC=/usr/include/ampl-netlib-solvers
[[ -f "$ASL_INC/asl_pfgh.h" ]] || ASL_INC="$(dirname "$(dpkg -L libamplsolver-dev | grep '/asl_pfgh\.h$' | head -n1)")"
[[ -f "$ASL_INC/asl_pfgh.h" ]] || die "ASL headers (asl_pfgh.h) not found"
ASL_LIB="$(dpkg -L libamplsolver-dev | grep '/libamplsolver\.so$' | head -n1)"
[[ -n "$ASL_LIB" ]] || die "libamplsolver.so not found"

build_ipopt() {
# ---------------------------------------------------------------------------------------
# Debian source package, through a private deb-src list derived from the system's sources
# ---------------------------------------------------------------------------------------

CODENAME="$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")"
[[ -n "$CODENAME" ]] || die "cannot tell the distribution's codename from /etc/os-release"

SRC_LIST="$WORK/deb-src.sources"
{
    # deb822 stanzas (Types: deb ...) -> Types: deb-src, keeping only the distribution's own
    # suites (CODENAME, CODENAME-updates, CODENAME-security, ...), so third-party
    # repositories without sources are left out.
    shopt -s nullglob
    for f in /etc/apt/sources.list.d/*.sources; do
        awk -v codename="$CODENAME" '
            function flush(   i, n, parts, suites, keep) {
                if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled !~ /^[ \t]*no/) {
                    n = split(suites_line, parts, /[ \t]+/); keep = ""
                    for (i = 1; i <= n; i++)
                        if (parts[i] == codename || index(parts[i], codename "-") == 1)
                            keep = keep (keep == "" ? "" : " ") parts[i]
                    if (keep != "") {
                        print "Types: deb-src"
                        print "Suites: " keep
                        printf "%s", body
                        print ""
                    }
                }
                types = ""; enabled = ""; suites_line = ""; body = ""; last = ""
            }
            /^[ \t]*#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/ { if (last == "body") body = body $0 "\n"; next }
            {
                key = tolower($1); val = $0; sub(/^[^:]*:[ \t]*/, "", val)
                if (key == "types:") { types = val; last = "" }
                else if (key == "enabled:") { enabled = tolower(val); last = "" }
                else if (key == "suites:") { suites_line = val; last = "" }
                else { body = body $0 "\n"; last = "body" }
            }
            END { flush() }
        ' "$f"
    done
    # one-line format: "deb [options] URI SUITE COMPONENTS..."
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        awk -v codename="$CODENAME" '
            $1 == "deb" {
                i = 2
                if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                suite = $(i + 1)
                if (suite == codename || index(suite, codename "-") == 1) {
                    line = $0; sub(/^deb[ \t]+/, "deb-src ", line); print line
                }
            }
        ' "$f" >"$WORK/oneline.part"
        if [[ -s "$WORK/oneline.part" ]]; then
            # apt wants one format per file: put one-line entries in their own .list file
            cat "$WORK/oneline.part" >>"$WORK/deb-src-oneline.list"
        fi
    done
} >"$SRC_LIST"

mkdir -p "$WORK/apt/sources.list.d" "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial"
[[ -s "$SRC_LIST" ]] && cp "$SRC_LIST" "$WORK/apt/sources.list.d/deb-src.sources"
[[ -s "$WORK/deb-src-oneline.list" ]] && cp "$WORK/deb-src-oneline.list" "$WORK/apt/sources.list.d/deb-src.list"
ls "$WORK/apt/sources.list.d/"* >/dev/null 2>&1 ||
    die "found no apt source for '$CODENAME' in /etc/apt to derive a deb-src entry from"

APT_OPTS=(
    -o "Dir::Etc::SourceList=/dev/null"
    -o "Dir::Etc::SourceParts=$WORK/apt/sources.list.d"
    -o "Dir::State::Lists=$WORK/apt/lists"
    -o "Dir::Cache=$WORK/apt/cache"
    -o "APT::Get::List-Cleanup=0"
)
[[ "$(id -u)" == 0 ]] && APT_OPTS+=(-o "APT::Sandbox::User=root")

log "fetching the coinor-ipopt source package (deb-src derived from the system's apt sources)"
apt-get "${APT_OPTS[@]}" -q update >"$WORK/apt-update.log" 2>&1 ||
    { cat "$WORK/apt-update.log" >&2; die "apt-get update (deb-src) failed"; }
(
    cd "$WORK"
    # the source version that matches the installed library
    ver="$(dpkg-query -W -f='${source:Version}' coinor-libipopt-dev 2>/dev/null || true)"
    if [[ -n "$ver" ]] && apt-get "${APT_OPTS[@]}" -q source "coinor-ipopt=$ver" >"$WORK/apt-source.log" 2>&1; then
        :
    else
        apt-get "${APT_OPTS[@]}" -q source coinor-ipopt >"$WORK/apt-source.log" 2>&1 ||
            { cat "$WORK/apt-source.log" >&2; exit 1; }
    fi
) || die "apt-get source coinor-ipopt failed"

SRC_DIR="$(find "$WORK" -maxdepth 1 -mindepth 1 -type d -name 'coinor-ipopt-*' | head -n1)"
AMPL_DIR="$SRC_DIR/Ipopt/src/Apps/AmplSolver"
[[ -f "$AMPL_DIR/ampl_ipopt.cpp" && -f "$AMPL_DIR/AmplTNLP.cpp" ]] ||
    die "unexpected source layout: no $AMPL_DIR/{ampl_ipopt.cpp,AmplTNLP.cpp}"

# ---------------------------------------------------------------------------------------
# Compile the AMPL executable
# ---------------------------------------------------------------------------------------

mkdir -p "$BIN"
log "compiling ipopt ($(basename "$SRC_DIR")) against Debian's libipopt and ASL"
# IpoptConfig.h does not define the HAVE_* macros the AMPL front end checks; the private
# headers it needs (IpBlas, IpGenTMatrix, IpSymTMatrix) come from the same source tree.
# `pkg-config --libs ipopt` lists the static dependencies (-llapack -lblas ...); linking the
# shared libipopt needs only -lipopt.
# shellcheck disable=SC2046
g++ -O2 -DHAVE_CSTRING -DHAVE_CSTDIO \
    $(pkg-config --cflags ipopt) \
    -I"$SRC_DIR/Ipopt/src/LinAlg" -I"$SRC_DIR/Ipopt/src/LinAlg/TMatrices" -I"$ASL_INC" \
    "$AMPL_DIR/ampl_ipopt.cpp" "$AMPL_DIR/AmplTNLP.cpp" \
    -o "$WORK/ipopt" -lipopt -lamplsolver -ldl
install -m 0755 "$WORK/ipopt" "$IPOPT.new"
mv -f "$IPOPT.new" "$IPOPT"
ipopt_ok || die "the built $IPOPT does not run"
log "installed $IPOPT: $("$IPOPT" --version | head -n1)"

}
((NEED_IPOPT)) && build_ipopt

# ---------------------------------------------------------------------------------------
# PyNumero ASL interface
# ---------------------------------------------------------------------------------------
log "building PyNumero's ASL interface (pynumero_ASL) against Debian's ASL"
# pyomo installs into $PYOMO_CONFIG_DIR/lib (default ~/.pyomo): build into the scratch dir,
# then put the library next to ipopt, where pyomo's find_library finds it through PATH /
# LD_LIBRARY_PATH (both set by IDAES / _solver_env for that directory).
(
    cd "$WORK"
    PYOMO_CONFIG_DIR="$WORK/pyomo" "$PY" -m pyomo.contrib.pynumero.build \
        -DASL_INCLUDE_DIR="$ASL_INC" -DASL_LIBRARY="$ASL_LIB" \
        -DBUILD_AMPLASL_IF_NEEDED=OFF -DBUILD_AMPLASL=OFF -DENABLE_HSL=OFF \
        >"$WORK/pynumero-build.log" 2>&1
) || { cat "$WORK/pynumero-build.log" >&2; die "PyNumero build failed"; }
[[ -f "$WORK/pyomo/lib/libpynumero_ASL.so" ]] || die "PyNumero build produced no libpynumero_ASL.so"
install -m 0755 "$WORK/pyomo/lib/libpynumero_ASL.so" "$PYNUMERO_LIB.new"
mv -f "$PYNUMERO_LIB.new" "$PYNUMERO_LIB"
log "installed $PYNUMERO_LIB"

write_conf
log "wrote $CONF (linear_solver = mumps)"
log "done: IDAES data directory $DATA"
