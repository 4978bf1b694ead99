"""Automatic checks for the exercises: each gives specific feedback, never a bare bool."""
