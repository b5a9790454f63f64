"""Figures computed from validated audits: scores, gates and the terminal summary."""
