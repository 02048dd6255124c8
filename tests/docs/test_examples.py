"""Every example notebook and script runs top to bottom (with ``CARBONHUB_EXAMPLES_SMALL=1``:
few cases, so that all of them together fit the CI budget of about three minutes).

Notebooks are executed with nbclient on the ``python3`` kernel, which jupyter_client starts
with this interpreter (the virtual environment's); if no such kernel is found, a ``carbonhub``
kernelspec is installed into the environment (``ipykernel install --sys-prefix``). A cell that
raises fails the test with the cell's traceback. Scripts run in a temporary directory as
subprocesses.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("[0-9]*.ipynb"))
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))
SCRIPT_ARGS = {"make_gallery.py": lambda tmp: ["--out", str(tmp / "img")]}  # not into docs/img
TIMEOUT_S = 600


def _env(tmp: Path) -> dict[str, str]:
    """Small runs; Jupyter, IPython and matplotlib write their state under ``tmp``, not HOME."""
    env = dict(os.environ)
    env.update(CARBONHUB_EXAMPLES_SMALL="1", MPLBACKEND="Agg", PYTHONHASHSEED="0",
               JUPYTER_RUNTIME_DIR=str(tmp / "jupyter_runtime"), IPYTHONDIR=str(tmp / "ipython"),
               MPLCONFIGDIR=str(tmp / "matplotlib"))
    return env


@pytest.fixture(scope="session")
def kernel_name() -> str:
    """A kernel that runs this interpreter: ``python3`` if it does, else install ``carbonhub``."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    try:
        argv0 = ksm.get_kernel_spec("python3").argv[0]
    except NoSuchKernel:
        argv0 = None
    # jupyter_client replaces a bare "python"/"python3" by sys.executable when it starts a kernel
    names = {"python", f"python{sys.version_info[0]}", "python%d.%d" % sys.version_info[:2]}
    if argv0 in names or (argv0 and Path(argv0).resolve() == Path(sys.executable).resolve()):
        return "python3"
    specs = ksm.find_kernel_specs()
    if "carbonhub" not in specs:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name",
                        "carbonhub", "--display-name", "Python (carbonhub)"], check=True,
                       capture_output=True, timeout=120)
    return "carbonhub"


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path, kernel_name, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    for k, v in _env(tmp_path).items():  # the kernel inherits this process's environment
        monkeypatch.setenv(k, v)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=TIMEOUT_S,
                            resources={"metadata": {"path": str(tmp_path)}})
    t0 = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{str(exc)[-6000:]}", pytrace=False)
    print(f"{path.name}: {time.perf_counter() - t0:.1f} s")


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_script_runs(path, tmp_path):
    args = SCRIPT_ARGS.get(path.name, lambda tmp: [])(tmp_path)
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(path), *args], cwd=tmp_path, env=_env(tmp_path),
                       capture_output=True, text=True, timeout=TIMEOUT_S)
    assert r.returncode == 0, f"{path.name} failed:\n{(r.stdout + r.stderr)[-6000:]}"
    print(f"{path.name}: {time.perf_counter() - t0:.1f} s")
    if path.name == "make_gallery.py":
        assert len(list((tmp_path / "img").glob("*.png"))) >= 5
    if path.name == "first_sweep.py":
        assert (tmp_path / "runs" / "tornado.png").is_file()


@pytest.mark.unit
def test_every_example_is_collected():
    """A new notebook or script is run by the tests above without editing this file."""
    assert {p.name for p in NOTEBOOKS} >= {"01_thermo_and_equilibrium.ipynb",
                                          "02_build_a_flowsheet.ipynb", "03_route_tea.ipynb",
                                          "04_uncertainty.ipynb", "06_feedstock_route_matrix.ipynb"}
    assert {p.name for p in SCRIPTS} >= {"first_flowsheet.py", "first_sweep.py", "custom_unit.py",
                                         "custom_route.py", "make_gallery.py"}
