"""`python -m offramp_gui`: the same as the `offramp` command."""
import sys

from .cli import main

sys.exit(main())
