"""One error hierarchy. The CLI turns these into messages and exit codes."""


class TrainerError(Exception):
    """An error the user can act on; its message says what and how to fix it."""


class ConfigError(TrainerError):
    """The settings file has a bad value."""


class SchemaTooNewError(TrainerError):
    """The database was written by a newer trainer."""


class DatabaseError(TrainerError):
    """The database cannot be opened or used."""


class NotEnoughDataError(TrainerError):
    """Too little review history for what was asked."""
