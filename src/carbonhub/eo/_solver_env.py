"""Point IDAES and Pyomo at the project's own Ipopt and PyNumero builds.

``scripts/install_ipopt.sh`` compiles the real Ipopt AMPL executable (Debian's Ipopt 3.11.9
with MUMPS) and PyNumero's ASL interface, and installs them under :func:`solvers_dir`
(by default ``<sys.prefix>/share/carbonhub``, i.e. inside the virtual environment)::

    <solvers_dir>/idaes/                     IDAES data directory (``IDAES_DATA``)
    <solvers_dir>/idaes/bin/ipopt
    <solvers_dir>/idaes/bin/libpynumero_ASL.so
    <solvers_dir>/idaes/idaes.conf           IDAES global config: linear_solver = mumps

How the pieces are found, with no ``~/.idaes`` or ``~/.pyomo`` (``HOME`` may be empty):

* IDAES reads ``IDAES_DATA`` once, when ``idaes`` is imported: its ``bin`` subdirectory is
  put first on ``PATH`` (and on ``LD_LIBRARY_PATH``) and ``IDAES_DATA/idaes.conf`` is merged
  into ``idaes.cfg``.  :func:`configure` sets ``IDAES_DATA`` (unless the user already has)
  and also puts the bin directory on ``PATH`` itself, for Pyomo used without IDAES.
* Pyomo's ``ipopt`` / ``ipopt_v2`` solvers run the first ``ipopt`` on ``PATH``.
* PyNumero looks for ``libpynumero_ASL.so`` in ``$PYOMO_CONFIG_DIR/lib`` (``~/.pyomo/lib``),
  then ``LD_LIBRARY_PATH``, then ``PATH``: the bin directory is on ``PATH``.
* IDAES's ``ipopt_v2`` defaults to ``linear_solver = ma57`` (HSL), which this Ipopt lacks:
  ``idaes.conf`` sets ``mumps``, and :func:`configure` does the same on an ``idaes.cfg``
  that is already imported (``configure(idaes=True)`` imports IDAES to make sure).

:func:`configure` is idempotent and cheap: it imports neither Pyomo nor IDAES unless asked
to (``idaes=True``) or they are already imported.  Call it before ``import idaes``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import MutableMapping
from pathlib import Path

__all__ = [
    "LINEAR_SOLVER",
    "SOLVERS_DIR_ENV",
    "configure",
    "idaes_bin_dir",
    "idaes_data_dir",
    "ipopt_executable",
    "pynumero_library",
    "solvers_dir",
]

#: Environment variable that overrides :func:`solvers_dir` (the script's PREFIX_DIR).
SOLVERS_DIR_ENV = "CARBONHUB_SOLVERS_DIR"
#: Ipopt linear solver: Debian's Ipopt is built with MUMPS; HSL (ma27/ma57) is not available.
LINEAR_SOLVER = "mumps"
#: IDAES's own default for ``ipopt_v2`` (an HSL solver), replaced by :data:`LINEAR_SOLVER`.
_IDAES_DEFAULT_LINEAR_SOLVER = "ma57"

_env_done = False
_idaes_cfg_done: int | None = None  # id() of the idaes.cfg already configured


def solvers_dir() -> Path:
    """Root of the project's solver installation (``$CARBONHUB_SOLVERS_DIR`` or
    ``<sys.prefix>/share/carbonhub``)."""
    override = os.environ.get(SOLVERS_DIR_ENV)
    if override:
        return Path(override).expanduser().absolute()
    return Path(sys.prefix) / "share" / "carbonhub"


def idaes_data_dir() -> Path:
    """The IDAES data directory the project uses (``IDAES_DATA``)."""
    return solvers_dir() / "idaes"


def idaes_bin_dir() -> Path:
    """Where ``ipopt`` and ``libpynumero_ASL.so`` are installed."""
    return idaes_data_dir() / "bin"


def _is_exe(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def ipopt_executable() -> Path | None:
    """The ``ipopt`` executable Pyomo/IDAES will run, or ``None`` if there is none.

    The project's own build if installed, else the first ``ipopt`` on ``PATH``.
    """
    own = idaes_bin_dir() / "ipopt"
    if _is_exe(own):
        return own
    found = shutil.which("ipopt")
    return Path(found) if found else None


def pynumero_library() -> Path | None:
    """The project's ``libpynumero_ASL.so``, or ``None`` if it is not installed."""
    lib = idaes_bin_dir() / "libpynumero_ASL.so"
    return lib if lib.is_file() else None


def _prepend_path(var: str, directory: str, environ: MutableMapping[str, str]) -> None:
    parts = [p for p in environ.get(var, "").split(os.pathsep) if p]
    if directory not in parts:
        environ[var] = os.pathsep.join([directory, *parts])


def _configure_env() -> None:
    global _env_done
    if _env_done:
        return
    # IDAES reads IDAES_DATA when `idaes` is first imported; respect a user's own choice.
    os.environ.setdefault("IDAES_DATA", str(idaes_data_dir()))
    bin_dir = idaes_bin_dir()
    if bin_dir.is_dir():
        _prepend_path("PATH", str(bin_dir), os.environ)
        if "pyomo.common.fileutils" in sys.modules:
            # Pyomo caches executable look-ups: forget a miss from before PATH changed.
            from pyomo.common.fileutils import Executable

            Executable("ipopt").rehash()
    _env_done = True


def _forget_pynumero_miss() -> None:
    """PyNumero caches its library look-up on the class: a look-up made before PATH held the
    project's bin directory (e.g. by IDAES code imported before :func:`configure`) leaves
    ``None`` there for good. Look again."""
    asl = sys.modules.get("pyomo.contrib.pynumero.asl")
    if asl is not None and getattr(asl.AmplInterface, "libname", None) is None:
        from pyomo.common.fileutils import find_library

        asl.AmplInterface.libname = find_library("pynumero_ASL")


def _configure_idaes() -> None:
    """Apply the solver defaults to an imported ``idaes.cfg`` (once per cfg object)."""
    global _idaes_cfg_done
    idaes = sys.modules.get("idaes")
    cfg = getattr(idaes, "cfg", None)
    if cfg is None or id(cfg) == _idaes_cfg_done:
        return
    v2 = cfg.ipopt_v2.options
    if v2.linear_solver == _IDAES_DEFAULT_LINEAR_SOLVER:
        v2.linear_solver = LINEAR_SOLVER
    v1 = cfg.ipopt.options
    if "linear_solver" not in v1:
        v1["linear_solver"] = LINEAR_SOLVER
    bin_dir = idaes_bin_dir()
    if bin_dir.is_dir():
        # idaes.reconfig() rebuilds PATH from the PATH it saw at import: keep ours in it.
        orig = getattr(sys.modules.get("idaes.config"), "orig_environ", None)
        if isinstance(orig, MutableMapping):
            _prepend_path("PATH", str(bin_dir), orig)
    _idaes_cfg_done = id(cfg)


def configure(*, idaes: bool = False) -> None:
    """Make IDAES and Pyomo find the project's Ipopt (with MUMPS) and PyNumero library.

    Sets ``IDAES_DATA`` (if unset) and ``PATH`` in ``os.environ``; if ``idaes`` is already
    imported (or ``idaes=True``, which imports it), sets ``ipopt_v2``'s linear solver to
    MUMPS in ``idaes.cfg``.  Idempotent and cheap; safe to call again after ``import idaes``.
    """
    _configure_env()
    _forget_pynumero_miss()
    if idaes and "idaes" not in sys.modules:
        import idaes as _idaes  # noqa: F401  (reads IDAES_DATA and idaes.conf)
    if "idaes" in sys.modules:
        _configure_idaes()
