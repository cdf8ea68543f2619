"""`sayso serve`: kept as the old import path; the app lives in sayso.web."""

from sayso.web import ServeConfig, create_app

__all__ = ["ServeConfig", "create_app"]
