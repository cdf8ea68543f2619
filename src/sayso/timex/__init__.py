"""TIMEX3-style values for English time expressions, relative to a publication date."""

from sayso.timex.normalize import normalize

__all__ = ["normalize"]
