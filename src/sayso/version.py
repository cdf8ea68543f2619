"""sayso's version: the package's (pyproject reads it from here) and the one a saved pipeline names."""

VERSION = "0.1.0"
