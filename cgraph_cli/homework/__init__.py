"""Homework: checking one answer, a hand-worked table, or a whole class's batch file."""
