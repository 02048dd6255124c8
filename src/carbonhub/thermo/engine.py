"""Which engine runs the compiled inner kernels: numba (default when installed) or numpy.

``engine="auto"`` uses numba unless the environment variable ``CARBONHUB_NUMBA`` is "0";
``"numba"`` requires it; ``"numpy"`` always takes the readable numpy reference path. The
kernels and their numpy references give the same answers (tests/thermo).
"""
from __future__ import annotations

import os
from functools import lru_cache

ENGINES = ("auto", "numba", "numpy")


@lru_cache(maxsize=1)
def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def use_numba(engine: str = "auto", error: type[Exception] = ValueError) -> bool:
    """True when the compiled kernels should run for ``engine`` (see module docstring)."""
    if engine == "numpy":
        return False
    if engine not in ENGINES:
        raise error(f"engine = {engine!r}: expected 'auto', 'numba' or 'numpy'")
    if engine == "auto" and os.environ.get("CARBONHUB_NUMBA", "1") == "0":
        return False
    if not numba_available():
        if engine == "numba":
            raise error("engine = 'numba': numba is not installed (pip install numba)")
        return False
    return True
