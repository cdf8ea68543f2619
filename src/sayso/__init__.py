"""sayso: who says so? Attribution, sourcing and certainty in news articles."""

from sayso.analyzer import Analyzer, Article, analyze
from sayso.errors import InputError

__version__ = "0.1.0"
__all__ = ["Analyzer", "Article", "InputError", "analyze", "__version__"]
