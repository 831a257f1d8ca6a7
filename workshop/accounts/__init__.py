"""Facilitator accounts: first-run set-up, log in and out, passwords."""
