"""Voting: dot voting, scores and ranking on proposals, and their live tallies."""
