"""scripts/install_ipopt.sh uses an Ipopt already on the machine (PATH, IDAES_DATA, a conda env,
CARBONHUB_IPOPT) before building one: it links it (and the PyNumero library next to it) into the
prefix, writes idaes.conf and never calls apt."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carbonhub.data import project_root

SCRIPT = project_root() / "scripts" / "install_ipopt.sh"


def _fake_ipopt(folder: Path) -> Path:
    folder.mkdir(parents=True)
    exe = folder / "ipopt"
    exe.write_text("#!/bin/sh\necho 'Ipopt 3.14.16 (x86_64-pc-linux-gnu), ASL(20231111)'\n")
    exe.chmod(0o755)
    (folder / "libpynumero_ASL.so").write_bytes(b"\x7fELF fake")
    return exe


def _run(tmp_path: Path, path_first: Path | None = None, **env_extra: str) -> subprocess.CompletedProcess:
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    for name in ("apt-get", "g++", "dpkg-query"):  # any build step would call these: fail loudly
        t = tools / name
        t.write_text(f"#!/bin/sh\necho 'called {name}' >> {tmp_path}/called\nexit 1\n")
        t.chmod(0o755)
    path = [str(tools), "/usr/bin", "/bin"]
    if path_first is not None:
        path.insert(0, str(path_first))
    env = {"PATH": os.pathsep.join(path), "HOME": str(tmp_path / "home"), "PYTHON": sys.executable,
           **env_extra}
    return subprocess.run(["bash", str(SCRIPT), str(tmp_path / "prefix")], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.unit
@pytest.mark.parametrize("where", ["PATH", "IDAES_DATA", "CONDA_PREFIX", "CARBONHUB_IPOPT"])
def test_existing_ipopt_is_used(tmp_path, where):
    exe = _fake_ipopt(tmp_path / "opt" / "bin")
    if where == "PATH":
        r = _run(tmp_path, path_first=exe.parent)
    else:
        r = _run(tmp_path, **{where: str(exe if where == "CARBONHUB_IPOPT" else tmp_path / "opt")})
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "called").exists(), (tmp_path / "called").read_text()
    bin_dir = tmp_path / "prefix" / "idaes" / "bin"
    assert (bin_dir / "ipopt").resolve() == exe.resolve()
    assert (bin_dir / "libpynumero_ASL.so").resolve() == (exe.parent / "libpynumero_ASL.so").resolve()
    assert '"linear_solver": "mumps"' in (tmp_path / "prefix" / "idaes" / "idaes.conf").read_text()
    assert "using the Ipopt already on this machine" in r.stderr
    again = _run(tmp_path, **{"CARBONHUB_IPOPT": str(exe)})  # idempotent
    assert again.returncode == 0 and "already installed" in again.stderr


@pytest.mark.unit
def test_no_ipopt_anywhere_goes_to_the_debian_build(tmp_path):
    r = _run(tmp_path)
    assert r.returncode != 0
    assert "called" in (tmp_path / "called").read_text()  # it tried to install/build
