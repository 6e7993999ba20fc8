"""A bad settings file: every key checked for type and range, named in one clear line
before anything runs; `trainer config` and `trainer` never show a traceback."""

from __future__ import annotations

import pytest

from trainer.cli import main
from trainer.config import Settings, load_settings
from trainer.errors import ConfigError
from trainer.optimize import default_parameters
from trainer.scheduler import PARAMETER_UPPER_BOUNDS

DEFAULTS = list(default_parameters())


def params(**changes) -> str:
    values = list(DEFAULTS)
    for index, value in changes.items():
        values[int(index[1:])] = value
    return "parameters = [" + ", ".join(str(v) for v in values) + "]"


BAD = [
    ("parameters = 3", "parameters: must be a list of 21 numbers"),
    ('parameters = "fitted"', "parameters: must be a list of 21 numbers"),
    ("parameters = [1, 2]", "got 2 numbers"),
    ("[parameters]\nw0 = 1", "parameters: must be a list of 21 numbers"),
    (params(i3="nan"), "parameters[3] is nan"),
    (params(i0="inf"), "parameters[0] is inf"),
    (params(i5='"x"'), "parameters[5] is 'x'"),
    (params(i5="true"), "parameters[5] is True"),
    (params(i4=0.5), "parameters[4] = 0.5 is outside FSRS's bounds (1.0 to 10.0)"),
    (params(i20=5), "parameters[20] = 5 is outside FSRS's bounds (0.1 to 0.8)"),
    ('learning_steps = ["99999d"]', "learning_steps: '99999d' is longer than a day"),
    ('learning_steps = ["99999999999999999999999d"]', "is longer than a day"),
    ('relearning_steps = ["25h"]', "relearning_steps: '25h' is longer than a day"),
    ('learning_steps = ["0.1s"]', "shorter than a second"),
    ('learning_steps = ["0m"]', "steps must be longer than zero"),
    ('learning_steps = ["-1m"]', "'-1m' is not a step"),
    ("learning_steps = [1, 10]", 'each step is text like "10m", got 1'),
    ('learning_steps = "1m"', 'learning_steps: must be a list like ["1m", "10m"]'),
    ("learning_steps = [" + ", ".join(['"1m"'] * 21) + "]", "at most 20 steps"),
    ("desired_retention = nan", "desired_retention: must be between 0.7 and 0.99, got nan"),
    ("desired_retention = inf", "desired_retention: must be between 0.7 and 0.99"),
    ("desired_retention = 0.5", "desired_retention: must be between 0.7 and 0.99"),
    ("desired_retention = true", "desired_retention: must be a number"),
    ("new_per_day = -1", "new_per_day: must be between 0 and 100000"),
    ("new_per_day = 2.5", "new_per_day: must be a whole number"),
    ("reviews_per_day = 1e9", "reviews_per_day: must be a whole number"),
    ("day_starts_at = 24", "day_starts_at: must be between 0 and 23"),
    ("maximum_interval = 0", "maximum_interval: must be between 1 and 36500"),
    ("maximum_interval = 99999999999999", "maximum_interval: must be between 1 and 36500"),
    ("fuzz = 1", "fuzz: must be true or false"),
    ('timezone = "Mars/Olympus"', "timezone: 'Mars/Olympus' is not a known time zone"),
    ('timezone = "../../etc/passwd"', "is not a known time zone"),
    ("timezone = 3", "timezone: must be a zone name"),
    ('new_card_order = "random"', "new_card_order: must be one of 'mixed', 'deck'"),
    ("leech_threshold = -3", "leech_threshold: must be between 0 and 1000"),
    ('leech_action = "delete"', "leech_action: must be one of 'tag', 'suspend'"),
    ('space_answers_good = "yes"', "space_answers_good: must be true or false"),
    ("theme = 7", "theme: must be a theme name"),
    ("parameters_fitted_at = 2026-01-01T00:00:00Z", "parameters_fitted_at: must be a time as text"),
    ("parameters_fitted_on = -5", "parameters_fitted_on: must be between 0"),
    ("new_cards = 3", "unknown setting 'new_cards'"),
    ("desired_retention = ", "not valid TOML"),
    ("\x00", "not valid TOML"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[line[:40] for line, _ in BAD])
def test_a_bad_setting_is_one_clear_error_naming_the_key(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_parameters_at_fsrs_bounds_and_a_day_long_step_are_fine(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        "parameters = [" + ", ".join(map(str, PARAMETER_UPPER_BOUNDS)) + ']\nlearning_steps = ["1s", "1d"]\n'
    )
    settings = load_settings(path)
    assert settings.parameters == PARAMETER_UPPER_BOUNDS


def test_a_byte_order_mark_is_not_a_setting(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes("\ufeffnew_per_day = 7\n".encode("utf-8"))
    assert load_settings(path).new_per_day == 7


def test_settings_made_in_code_are_checked_the_same_way():
    with pytest.raises(ConfigError, match="parameters: must be a list"):
        Settings(parameters=3).validated()


@pytest.mark.parametrize("command", [["config"], [], ["stats"], ["review"], ["check"], ["optimize"]])
@pytest.mark.parametrize("text, message", [BAD[0], BAD[10], BAD[19], ("[oops", "not valid TOML")])
def test_commands_refuse_a_bad_config_before_anything_runs(tmp_path, monkeypatch, capsys, command, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text + "\n")
    db = tmp_path / "never.db"
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    monkeypatch.setenv("TRAINER_DB", str(db))
    monkeypatch.setattr("sys.argv", ["trainer", *command])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 1
    assert err.startswith(f"error: {config}: ") and message in err
    assert "Traceback" not in err and "unexpected" not in err
    assert not db.exists()  # nothing ran: no database was even created


def test_a_settings_file_that_is_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read the settings file"):
        load_settings(tmp_path)
