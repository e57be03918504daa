"""`python -m offramp_gui`: the same as the `offramp` command."""
from .cli import run

run()
