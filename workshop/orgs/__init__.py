"""Organisations: the tenants of an installation, their members and roles, and the
one-time invitations that make someone a member."""
