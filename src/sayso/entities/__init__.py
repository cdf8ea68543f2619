"""Entity mentions, their merging into entities (coreference), and the roles the article gives them."""
