"""``python -m carbonhub.cli`` runs the ``carbonhub`` command."""
import sys

from . import main

sys.exit(main())
