"""Stakeholder review rounds: comments on the draft plan by link, and an answer to each."""
