"""Surveys of an evaluation round: build, send, answer once, report with the group-size rule."""
