"""The Textual UI. Only this package (and cli.py) may import textual."""
