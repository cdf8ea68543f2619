"""Small linear sentence classifiers: hedged or weaselly sentences, check-worthy sentences."""
