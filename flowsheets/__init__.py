"""The route library: one module per route with ``build(**params) -> Flowsheet``, its defaults and
reference case in ``<route>.yaml``.

Shipped inside the wheel as ``carbonhub.flowsheets``; routes are loaded by path through
:mod:`carbonhub.routes` (``carbonhub.routes.load("biomass_ft")``), not imported as a package.
"""
