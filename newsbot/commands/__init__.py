"""Subcommands of the newsbot CLI, one module each."""
