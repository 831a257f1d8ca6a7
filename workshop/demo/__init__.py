"""Demo data, so a newcomer has something to click through."""
