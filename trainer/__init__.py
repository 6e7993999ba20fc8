"""trainer: Markdown decks, FSRS scheduling, every review kept in SQLite."""

__version__ = "0.1.0"
