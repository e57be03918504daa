"""Docked panels: properties of the selected node, variables, weights, problems."""
