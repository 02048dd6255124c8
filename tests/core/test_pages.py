"""core.pages.reuse_freed_memory: a freed (10^4 x 53) array's memory is reused by the next one
(no new page faults), unless the user set glibc's own malloc switches. Each check runs in a
fresh interpreter: the setting is made once per process."""
from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

PAGES = 10_000 * 53 * 8 // 4096  # pages of one (10^4 x 53) float64 array: 1,035

PROBE = """
import resource
import numpy as np
from carbonhub.core.pages import reuse_freed_memory, small_pages

def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

with small_pages():
    a = np.ones((10_000, 53))  # written, then freed
    del a
    f0 = faults()
    b = np.ones((10_000, 53))  # the same size again
    f1 = faults()
print(reuse_freed_memory(), f1 - f0)
"""


def _probe(**env_extra: str) -> tuple[bool, int]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    env.update(env_extra)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    return out[0] == "True", int(out[1])


GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


def test_a_freed_array_is_reused_without_new_page_faults():
    """glibc: the second array of the same size takes the first one's pages (the default
    allocator would map fresh ones: a fault per page); elsewhere nothing is set."""
    reused, faults = _probe()
    assert reused is GLIBC
    if GLIBC:
        assert faults < PAGES // 10


@pytest.mark.parametrize("switch", [{"MALLOC_MMAP_THRESHOLD_": "131072"},
                                    {"MALLOC_TRIM_THRESHOLD_": "131072"},
                                    {"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=131072"}])
def test_the_users_own_malloc_switches_are_left_alone(switch):
    """A user who set glibc's malloc switches keeps them: nothing is set, and (with the default
    mmap threshold) the second array's pages fault again, as glibc does by default."""
    reused, faults = _probe(**switch)
    assert reused is False
    if GLIBC and "MALLOC_MMAP_THRESHOLD_" in switch:
        assert faults > PAGES // 2
