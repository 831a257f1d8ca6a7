"""The plan tree: ambitions, strategic and operational goals, their history and versions."""
