"""`sayso serve`: the article page, the corpus explorer and the JSON API (see app.create_app)."""

from sayso.web.app import create_app
from sayso.web.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]
