"""Voila's configuration file for ``mentorforms serve`` (``voila.py`` here, read by Voila itself)."""
