"""Monitoring indicators: status against a target, and chart geometry."""
