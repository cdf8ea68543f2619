"""Cue lexicons: the pattern files, matching them over a Doc, and the scope of the outlet's own voice."""
