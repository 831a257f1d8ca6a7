"""Colour helpers: work-domain colours must keep text readable (WCAG AA)."""

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Calm, distinct defaults that all pass AA with white or near-black text.
PALETTE = ("#1f5f8b", "#2e7d4f", "#8a4b9c", "#b5541c", "#5b6b2e", "#a33a5b")


def _channel(value):
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour):
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(colour):
    """Black-ish or white text, whichever contrasts more with `colour`."""
    dark, light = "#111111", "#ffffff"
    return dark if contrast(colour, dark) >= contrast(colour, light) else light
