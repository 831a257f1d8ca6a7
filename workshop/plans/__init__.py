"""Plans and their work domains."""
