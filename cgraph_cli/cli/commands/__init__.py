"""One module per command: each parses its options, calls one function, hands the result to a
view. `app.py` registers them from its COMMANDS table."""
