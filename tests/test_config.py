"""Settings: defaults, a TOML file, and bad values named by key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from trainer.cli import cli
from trainer.config import Settings, db_path, load_settings, save_settings
from trainer.errors import ConfigError


def test_missing_file_gives_the_documented_defaults(tmp_path):
    settings = load_settings(tmp_path / "none.toml")
    assert (settings.desired_retention, settings.new_per_day, settings.reviews_per_day) == (0.9, 20, 200)
    assert settings.day_starts_at == 4 and settings.maximum_interval == 36500
    assert settings.learning_deltas == (timedelta(minutes=1), timedelta(minutes=10))
    assert settings.relearning_deltas == (timedelta(minutes=10),)


def test_values_from_the_file_are_in_force(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('desired_retention = 0.85\nnew_per_day = 5\nlearning_steps = ["30s", "5m", "1h"]\n')
    settings = load_settings(path)
    assert settings.desired_retention == 0.85 and settings.new_per_day == 5
    assert settings.learning_deltas == (timedelta(seconds=30), timedelta(minutes=5), timedelta(hours=1))


@pytest.mark.parametrize(
    "line, message",
    [
        ("desired_retention = 1.5", "desired_retention: must be between 0.7 and 0.99, got 1.5"),
        ('new_per_day = "twenty"', "new_per_day: must be a whole number, got 'twenty'"),
        ("day_starts_at = 25", "day_starts_at: must be between 0 and 23, got 25"),
        ('learning_steps = ["1 minute"]', "learning_steps: '1 minute' is not a step"),
        ("fuzz = 1", "fuzz: must be true or false"),
        ("parameters = [1, 2]", "parameters: must be a list of 21 numbers"),
        ("new_cards = 3", "unknown setting 'new_cards'"),
        ("new_per_day = ", "not valid TOML"),
    ],
)
def test_bad_value_gets_an_error_naming_the_key(tmp_path, line, message):
    path = tmp_path / "config.toml"
    path.write_text(line + "\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_saved_settings_load_back_equal(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    from trainer.scheduler import PARAMETER_LOWER_BOUNDS, PARAMETER_UPPER_BOUNDS

    # Any 21 numbers within FSRS's bounds (the settings refuse others).
    fitted = tuple((low + high) / 3 for low, high in zip(PARAMETER_LOWER_BOUNDS, PARAMETER_UPPER_BOUNDS))
    settings = Settings(desired_retention=0.88, parameters=fitted,
                        parameters_fitted_at="2026-03-02T10:00:00+00:00", parameters_fitted_on=1234)
    save_settings(settings, path)
    assert load_settings(path) == settings


def test_db_path_prefers_option_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINER_DB", str(tmp_path / "env.db"))
    assert db_path(tmp_path / "opt.db") == tmp_path / "opt.db"
    assert db_path() == tmp_path / "env.db"


def test_config_command_prints_where_and_what(tmp_path, monkeypatch):
    (tmp_path / "config.toml").write_text("new_per_day = 7\n")
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 0, result.output
    assert f"settings file: {tmp_path / 'config.toml'}" in result.output
    assert f"database:      {tmp_path / 'trainer.db'}" in result.output
    assert "new_per_day = 7" in result.output and "desired_retention = 0.9" in result.output


def test_bad_config_is_one_clear_line_without_traceback(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / "config.toml").write_text("desired_retention = 2\n")
    result = subprocess.run([sys.executable, "-m", "trainer", "config"], capture_output=True, text=True,
                            env=dict(os.environ))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error: ") and "desired_retention" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_review_of_unknown_deck_is_a_clear_error(tmp_path):
    import os
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "trainer", "review", "--deck", "Nope"], capture_output=True,
                            text=True, env=dict(os.environ))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no deck named 'Nope'" in result.stderr and "PM interview: questions" in result.stderr


def test_help_lists_each_command_with_its_whole_description():
    from click.testing import CliRunner

    from trainer.cli import cli

    output = CliRunner().invoke(cli, ["--help"]).output
    assert "..." not in output.split("Commands:")[1]
    assert "compare it with the cached schedules" in " ".join(output.split())
