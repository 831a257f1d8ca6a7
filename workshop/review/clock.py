"""A review round's times: the IANA zone it is set in, and wall-clock times in that zone."""

from datetime import UTC, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import lazy_gettext as _l

from workshop.core.errors import DomainError
from workshop.core.time import utcnow


@cache
def time_zones():
    """The IANA time zone names a round may use ("Europe/Brussels"), sorted."""
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def zone(timezone):
    """The ZoneInfo for a round's time zone name; DomainError for an unknown one."""
    if timezone not in time_zones():
        raise DomainError(_l("Unknown time zone."), field="timezone")
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DomainError(_l("Unknown time zone."), field="timezone") from None


def to_utc(local, timezone):
    """A naive local time in `timezone` as naive UTC."""
    return local.replace(tzinfo=zone(timezone)).astimezone(UTC).replace(tzinfo=None)


def in_zone(utc, timezone):
    """A naive UTC time as an aware time in `timezone` (UTC for an unknown zone)."""
    try:
        target = zone(timezone)
    except DomainError:
        target = UTC
    return utc.replace(tzinfo=UTC).astimezone(target)


def default_times(timezone, now=None, days=14):
    """(opens, closes) to offer on a new round: now, to the minute, and `days` later, both
    as naive wall-clock times in the round's time zone (what the form shows)."""
    now = (now or utcnow()).replace(second=0, microsecond=0)
    opens = in_zone(now, timezone)
    closes = opens + timedelta(days=days)  # wall-clock days, also across a DST change
    return opens.replace(tzinfo=None), closes.replace(tzinfo=None)
