"""Cue lexicons, scope of reported speech, and the small linear models behind cues and claims."""
