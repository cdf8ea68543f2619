"""Entity mentions, coreference (names and pronouns) and the roles an article gives its entities."""
