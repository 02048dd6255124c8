"""What every unit's equation-oriented twin needs, below :mod:`carbonhub.unitops`: the IDAES host
block (:mod:`~carbonhub.twin.host`), the NASA-7 property package and expressions
(:mod:`~carbonhub.twin.properties`), set-outlet/design helpers (:mod:`~carbonhub.twin.helpers`),
K-value and water-saturation expressions (:mod:`~carbonhub.twin.kvalues`,
:mod:`~carbonhub.twin.saturation`).

Physics files import these inside their ``build_pyomo`` methods, so that Pyomo and IDAES are
imported only when a twin is built; nothing here imports :mod:`carbonhub.eo`.
"""
