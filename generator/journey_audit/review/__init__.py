"""Reviewing changes: the semantic diff, its formats, git textconv and reading audits from git."""
