"""Render helpers shared by the views."""
