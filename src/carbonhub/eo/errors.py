"""The error of :mod:`carbonhub.eo`'s optimisers."""


class OptimizationError(ValueError):
    """A user error or an infeasible/unbounded problem (with IPOPT's termination condition)."""
