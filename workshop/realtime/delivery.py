"""Delivery of published events to rooms (filled in as areas move to typed events)."""

from functools import singledispatch


@singledispatch
def deliver(event):
    raise TypeError(f"No delivery for {type(event).__name__}")
