"""offramp: a decision-tree explorer for choices under escalation risk."""
__version__ = "0.1.0"
