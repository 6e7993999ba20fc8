"""Settings and paths.

The database lives at `platformdirs.user_data_dir("trainer")/trainer.db`
unless `--db PATH` or TRAINER_DB says otherwise; settings live in
`user_config_dir("trainer")/config.toml` unless TRAINER_CONFIG says otherwise;
editable copies of bundled decks go to `user_data_dir("trainer")/decks`
unless TRAINER_DECKS says otherwise.
Nothing here touches the disk at import time.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trainer.config_file import toml_value
from trainer.errors import ConfigError

APP_NAME = "trainer"
STEP_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
STEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PARAMETER_COUNT = 21


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "trainer.db"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db beats TRAINER_DB beats the platform's user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TRAINER_DB")
    if env:
        return Path(env).expanduser()
    return default_db_path()


def config_path() -> Path:
    env = os.environ.get("TRAINER_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def user_decks_dir() -> Path:
    """Where editable copies of bundled decks go: TRAINER_DECKS, else `decks` in the user data folder."""
    env = os.environ.get("TRAINER_DECKS")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "decks"


def bundled_decks_dir() -> Path:
    """The decks shipped with the program: inside the installed package, or the checkout's decks/."""
    here = Path(__file__).resolve().parent
    installed = here / "decks"
    if installed.is_dir():
        return installed
    return here.parent / "decks"


# Learning and relearning steps are the short waits before FSRS takes over; a
# step is at least a second and at most a day (FSRS's own advice: longer waits
# are the memory model's to choose, and a step of years would park a card in
# learning). At most MAX_STEPS of them.
MIN_STEP_SECONDS = 1
MAX_STEP_SECONDS = 86400
MAX_STEPS = 20


def parse_step(text: str, key: str) -> timedelta:
    if not isinstance(text, str):
        raise ConfigError(f'{key}: each step is text like "10m", got {text!r}')
    match = STEP_RE.match(text)
    if not match:
        raise ConfigError(
            f"{key}: {text!r} is not a step; write a number and a unit, like \"1m\", \"10m\", \"1h\" or \"1d\""
        )
    seconds = float(match.group(1)) * STEP_UNITS[match.group(2)]
    if seconds <= 0:
        raise ConfigError(f"{key}: steps must be longer than zero, got {text!r}")
    if seconds < MIN_STEP_SECONDS:
        raise ConfigError(f"{key}: {text!r} is shorter than a second; steps are at least \"1s\"")
    if seconds > MAX_STEP_SECONDS:
        raise ConfigError(
            f"{key}: {text!r} is longer than a day; steps are the short waits before FSRS schedules a card "
            "itself, so write at most \"1d\" (longer intervals come from FSRS and maximum_interval)"
        )
    return timedelta(seconds=seconds)


@dataclass(frozen=True)
class Settings:
    """What is in force; every field can be set in config.toml."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    day_starts_at: int = 4
    learning_steps: tuple[str, ...] = ("1m", "10m")
    relearning_steps: tuple[str, ...] = ("10m",)
    maximum_interval: int = 36500
    fuzz: bool = True
    # An IANA zone such as "Europe/Paris" for study days; empty: the machine's zone.
    timezone: str = ""
    # "mixed": new cards take turns across decks in "All decks"; "deck": one deck file after another.
    new_card_order: str = "mixed"
    # A card forgotten this many times is a leech (then again every half as many).
    leech_threshold: int = 8
    # What happens to a leech: "tag" (marked, listed, searchable) or "suspend".
    leech_action: str = "tag"
    # Space or Enter on a shown answer answers Good, as in Anki.
    space_answers_good: bool = True
    # A Textual theme (Ctrl+P lists them); empty: the default. Remembered when chosen in the app.
    theme: str = ""
    # A card in review missed in `trainer practice` is made due today (a logged event in the review log).
    practice_misses_due_today: bool = False
    # Fitted by `trainer optimize`; empty means FSRS's defaults.
    parameters: tuple[float, ...] = ()
    parameters_fitted_at: str = ""
    parameters_fitted_on: int = 0
    source: str = field(default="defaults", compare=False)

    @property
    def zone(self) -> tzinfo | None:
        """The zone study days are counted in (None: the machine's own)."""
        return ZoneInfo(self.timezone) if self.timezone else None

    @property
    def learning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s, "learning_steps") for s in self.learning_steps)

    @property
    def relearning_deltas(self) -> tuple[timedelta, ...]:
        return tuple(parse_step(s, "relearning_steps") for s in self.relearning_steps)

    def validated(self) -> "Settings":
        """Return self, or raise ConfigError naming the first bad key."""
        _check_number("desired_retention", self.desired_retention, float, 0.7, 0.99)
        _check_number("new_per_day", self.new_per_day, int, 0, 100_000)
        _check_number("reviews_per_day", self.reviews_per_day, int, 0, 1_000_000)
        _check_number("day_starts_at", self.day_starts_at, int, 0, 23)
        _check_number("maximum_interval", self.maximum_interval, int, 1, 36500)
        if not isinstance(self.fuzz, bool):
            raise ConfigError(f"fuzz: must be true or false, got {self.fuzz!r}")
        _check_number("leech_threshold", self.leech_threshold, int, 0, 1000)
        for key, allowed in (("new_card_order", ("mixed", "deck")), ("leech_action", ("tag", "suspend"))):
            if getattr(self, key) not in allowed:
                raise ConfigError(f"{key}: must be one of {', '.join(repr(a) for a in allowed)}, got {getattr(self, key)!r}")
        for key in ("space_answers_good", "practice_misses_due_today"):
            if not isinstance(getattr(self, key), bool):
                raise ConfigError(f"{key}: must be true or false, got {getattr(self, key)!r}")
        if not isinstance(self.theme, str):
            raise ConfigError(f'theme: must be a theme name like "nord", got {self.theme!r}')
        if not isinstance(self.timezone, str):
            raise ConfigError(f'timezone: must be a zone name like "Europe/Paris", got {self.timezone!r}')
        if self.timezone:
            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ConfigError(
                    f'timezone: {self.timezone!r} is not a known time zone; write one like "Europe/Paris", '
                    "or leave it out to use this machine's zone"
                ) from None
        for key in ("learning_steps", "relearning_steps"):
            value = getattr(self, key)
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f'{key}: must be a list like ["1m", "10m"], got {value!r}')
            if len(value) > MAX_STEPS:
                raise ConfigError(f"{key}: at most {MAX_STEPS} steps, got {len(value)}")
            for step in value:
                parse_step(step, key)
        _check_parameters(self.parameters)
        if not isinstance(self.parameters_fitted_at, str):
            raise ConfigError(f"parameters_fitted_at: must be a time as text, got {self.parameters_fitted_at!r}")
        _check_number("parameters_fitted_on", self.parameters_fitted_on, int, 0, 10**12)
        return self


def _check_parameters(parameters) -> None:
    """21 finite numbers, each within the bounds py-fsrs accepts (or none: FSRS's defaults)."""
    how = (
        f"parameters: must be a list of {PARAMETER_COUNT} numbers (as written by `trainer optimize`), "
        "or be removed to use FSRS's defaults"
    )
    if not isinstance(parameters, (list, tuple)):
        raise ConfigError(f"{how}; got {parameters!r}")
    if not parameters:
        return
    if len(parameters) != PARAMETER_COUNT:
        raise ConfigError(f"{how}; got {len(parameters)} numbers")
    for index, value in enumerate(parameters):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ConfigError(f"{how}; parameters[{index}] is {value!r}")
    from trainer.scheduler import PARAMETER_LOWER_BOUNDS, PARAMETER_UPPER_BOUNDS  # loads fsrs: only when needed

    for index, (value, low, high) in enumerate(zip(parameters, PARAMETER_LOWER_BOUNDS, PARAMETER_UPPER_BOUNDS)):
        if not low <= value <= high:
            raise ConfigError(
                f"parameters[{index}] = {value!r} is outside FSRS's bounds ({low} to {high}); "
                "run `trainer optimize` again, or remove parameters to use FSRS's defaults"
            )


def _check_number(key: str, value, kind, low, high) -> None:
    ok_type = isinstance(value, (int, float)) if kind is float else isinstance(value, int)
    if isinstance(value, bool) or not ok_type:
        raise ConfigError(f"{key}: must be a {'number' if kind is float else 'whole number'}, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{key}: must be between {low} and {high}, got {value!r}")


KNOWN_KEYS = {f.name for f in fields(Settings)} - {"source"}


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (missing file: defaults); raise ConfigError on a bad one."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings file: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # an editor's byte-order mark is not a setting
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r}; known settings are: {', '.join(sorted(KNOWN_KEYS))}"
        )
    values = {}
    for key, value in data.items():
        if key in ("learning_steps", "relearning_steps", "parameters") and isinstance(value, list):
            value = tuple(value)
        values[key] = value
    settings = replace(Settings(), **values, source=str(path))
    try:
        return settings.validated()
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write every setting (atomically: a crash leaves the old file whole)."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# trainer settings; `trainer config` shows what is in force.", ""]
    for f in fields(Settings):
        if f.name == "source":
            continue
        value = getattr(settings, f.name)
        if f.name.startswith("parameters") and not value:
            continue
        lines.append(f"{f.name} = {toml_value(value)}")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def fields_in_force(settings: Settings) -> list[tuple[str, str]]:
    """(name, TOML value) of every setting, for `trainer config`."""
    rows = []
    for f in fields(Settings):
        if f.name == "source":
            continue
        value = getattr(settings, f.name)
        if f.name == "parameters" and not value:
            rows.append((f.name, "[]  # FSRS defaults; `trainer optimize` fits your own"))
            continue
        if f.name.startswith("parameters_fitted") and not value:
            continue
        if f.name == "timezone" and not value:
            rows.append((f.name, '""  # this machine\'s zone'))
            continue
        rows.append((f.name, toml_value(value)))
    return rows
