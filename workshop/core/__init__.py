"""Cross-cutting pieces: database set-up, secrets, languages, errors, health."""
