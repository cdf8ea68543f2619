"""sayso's spaCy components, one a module. Importing this package registers their factories."""

from sayso.components import (  # noqa: F401
    attribution,
    claims,
    cues,
    encoder,
    entities,
    entity_labels,
    linebreaks,
    sentence_marks,
    status,
    times,
)
