"""Errors a user can act on: the CLI prints their message on one line and exits 2."""


class InputError(Exception):
    """Input that sayso refuses: empty, binary, undecodable, too large, not English, unreachable."""
