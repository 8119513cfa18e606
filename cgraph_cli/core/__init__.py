"""Text -> graph -> numbers: the parser, the op table, the graph, the passes, the question.

Imports nothing above it (no SymPy, Rich or Typer), so the numeric path stays light.
"""
