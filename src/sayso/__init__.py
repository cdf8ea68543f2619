"""sayso: who says so? Attribution, sourcing and certainty in news articles."""

from sayso.analyzer import Analyzer, Article, analyze
from sayso.errors import InputError
from sayso.version import VERSION as __version__

__all__ = ["Analyzer", "Article", "InputError", "analyze", "__version__"]
