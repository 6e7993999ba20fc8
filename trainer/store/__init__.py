"""The only package that talks SQL (through sqlite-utils).

It is a package rather than one module so each concern keeps a small file:
`connection` opens and migrates, `cards` and `reviews` read and write those
tables, `stats_queries` does the aggregate reads. Rows never leave it: callers
get the dataclasses of trainer.model.
"""

from trainer.store.connection import Store, open_db

__all__ = ["Store", "open_db"]
