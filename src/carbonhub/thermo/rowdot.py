"""Row-wise products over the case axis whose result for a case does not depend on its batch.

``a @ B`` with ``a`` of shape (n_cases, k) goes to BLAS, whose kernels sum a row's k products
in an order that depends on the number of rows and on where a row starts in memory: the same
case alone and in a batch of 3 differ in the last bits (measured: ``(n, 40) @ (40,)`` and
``(n, 40) @ (40, 6)``, 11 and 13 of 35 rows differ between a batch of 9 and the row alone or in
a batch of 2-6). Inside a recycle or design-spec iteration those bits grow: an iteration that
contracts slowly or not at all (biomass_ft's swanson_2010_ht case, the tar reformer's firing
spec solved with the FT loop's tears) then takes another path, and a case could converge in
one batch and fail in another. :func:`rowdot` sums each row's products in index order,
0 + a_0 B_0 + a_1 B_1 + ..., the same arithmetic whatever the batch, its size or the array's
layout (row-major or not); numpy's ``sum(axis=1)`` is not that either (pairwise on a
contiguous row, sequential on a strided one).

The compiled kernel (numba, :mod:`carbonhub.thermo.engine`) and the numpy reference (one
multiply-add over the cases per term, ``CARBONHUB_NUMBA=0``) do the same operations in the same
order, so they agree to the last bit (tests/thermo/test_rowdot.py).

Example
-------
>>> import numpy as np
>>> a = np.array([[1.0, 2.0, 3.0], [0.5, 0.0, 2.0]])
>>> rowdot(a, np.array([1.0, 10.0, 100.0])).tolist()
[321.0, 200.5]
>>> rowdot(a, np.eye(3)).tolist() == a.tolist()
True
"""
from __future__ import annotations

import numpy as np

from .engine import use_numba

__all__ = ["rowdot", "rowsum"]


def rowdot(a, b, engine: str = "auto") -> np.ndarray:
    """``a @ b`` per row of ``a`` (n, k), in index order: (n,) for ``b`` of shape (k,), (n, m)
    for (k, m); a single row ``a`` (k,) gives () or (m,). A row's result is the same alone or in any batch (see the module doc).
    ``engine``: "auto" (numba unless ``CARBONHUB_NUMBA=0``), "numba" or "numpy"."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.ndim == 1:  # one row
        return rowdot(a[None, :], b, engine)[0]
    if a.ndim != 2 or b.ndim not in (1, 2) or a.shape[1] != b.shape[0]:
        raise ValueError(f"rowdot: shapes {a.shape} and {b.shape}: expected (n, k) and (k,) or (k, m)")
    vec = b.ndim == 1
    B = b[:, None] if vec else b
    if use_numba(engine):
        from ._rowdot_kernel import rowdot_kernel, rowdot_vec_kernel

        if vec:
            return rowdot_vec_kernel(a, b)
        return rowdot_kernel(a, np.ascontiguousarray(b), bool(np.isfinite(b).all()))
    else:
        out = np.zeros((a.shape[0], B.shape[1]))
        for j in range(a.shape[1]):
            out += a[:, j:j + 1] * B[j]
    return out[:, 0] if vec else out


def rowsum(a, engine: str = "auto") -> np.ndarray:
    """``a.sum(axis=1)`` of ``a`` (n, k) summed in index order, 0 + a_0 + a_1 + ...: a row's
    result is the same alone or in any batch, and the same with columns of zeros added or
    left out (numpy's pairwise sum of a contiguous row regroups the terms when k changes, e.g.
    over the components present in *some* case of a batch, :func:`carbonhub.core.stream.present`;
    and it sums a strided row, e.g. ``flow[:, mask]`` of a batch, in another order than the same
    row alone, which is contiguous). Anything but a 2-D float array (booleans, integers: exact in
    any order) is summed by numpy.

    >>> rowsum(np.array([[1e16, 1.0, -1e16, 1.0]])).tolist()
    [1.0]
    """
    if not isinstance(a, np.ndarray) or a.ndim != 2 or a.dtype.kind != "f":
        return a.sum(axis=1)  # counts (exact in any order), tables, other shapes: as numpy
    a = np.asarray(a, dtype=float)
    if use_numba(engine):
        from ._rowdot_kernel import rowsum_kernel

        return rowsum_kernel(a)
    out = np.zeros(a.shape[0])
    for j in range(a.shape[1]):
        out += a[:, j]
    return out


def present(flow: np.ndarray, engine: str = "auto") -> np.ndarray:
    """Columns (components) with a nonzero (or NaN) flow in any case of ``flow`` (n, k): thermo
    is evaluated for these only (a 36-component set typically carries 10-15 in a given stream).
    Compiled for a 2-D float array (:func:`carbonhub.thermo._rowdot_kernel.present_columns`:
    each column read down to its first nonzero, no (n, k) boolean temporary); numpy's
    ``flatnonzero((flow != 0).any(axis=0))`` is the reference.

    >>> present(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]])).tolist()
    [1, 2]
    """
    if use_numba(engine) and isinstance(flow, np.ndarray) and flow.ndim == 2 and flow.dtype == np.float64:
        from ._rowdot_kernel import present_columns

        return present_columns(flow)
    return np.flatnonzero((np.asarray(flow) != 0).any(axis=0))
