"""The SymPy side: node expressions, the one symbolic sweep, its limits, equivalence, printing."""
