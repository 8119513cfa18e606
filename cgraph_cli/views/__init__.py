"""Views, by medium: terminal tables, text/Markdown/LaTeX, JSON, DOT pictures."""
