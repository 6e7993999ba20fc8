"""`trainer cards`: listing with the browser's search, acting on the cards found, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import trainer.cli
from trainer.store import open_db
from trainer.store.cards import get_card

from browse_helpers import NOW, build


@pytest.fixture
def env(tmp_path, monkeypatch):
    collection = build(tmp_path)
    collection.store.close()
    config = tmp_path / "config.toml"
    config.write_text('fuzz = false\nleech_threshold = 2\ntimezone = "UTC"\n', encoding="utf-8")
    monkeypatch.setenv("TRAINER_DB", str(collection.path))
    monkeypatch.setenv("TRAINER_CONFIG", str(config))
    monkeypatch.setattr(trainer.cli, "now_utc", lambda: NOW)
    return collection


@pytest.fixture
def run(capsys, monkeypatch):
    """`trainer cards ARGS` through trainer.cli.main, as the installed command runs: (exit code, stdout, stderr)."""

    def cards(*args):
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["trainer", "cards", *args])
        try:
            trainer.cli.main()
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return cards


def lines(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()]


def status(env, name):
    with open_db(env.path) as store:
        return get_card(store, env.keys[name]).status.value


def test_listing_is_one_tab_separated_line_per_card(env, run):
    code, out, err = run("is:due")
    assert code == 0, err
    rows = lines(out)
    assert {row[0] for row in rows} == {env.keys[n] for n in ("cold", "second", "proxy")}
    cold = next(row for row in rows if row[0] == env.keys["cold"])
    key, deck, state, flags, due, recall, location, prompt = cold
    assert (deck, state, flags) == ("Alpha deck", "review", "leech")
    assert due.endswith("Z") and 0 < float(recall) < 0.8
    assert location.endswith("alpha.md:14") and prompt == "What does [bold]cold start[/bold] mean?"


def test_listing_takes_the_same_search_as_the_browser(env, run):
    assert len(lines(run()[1])) == 10  # every card but the retired one
    assert [r[0] for r in lines(run("deck:beta deck", "-is:new")[1])] == [env.keys["ete"], env.keys["second"]]
    assert [r[0] for r in lines(run("prop:lapses>=2")[1])] == [env.keys["cold"]]
    assert [r[0] for r in lines(run("is:retired")[1])] == [env.keys["retired"]]


def test_json_lists_every_field(env, run):
    code, out, _ = run("is:leech", "--json")
    assert code == 0
    (card,) = json.loads(out)
    assert card["key"] == env.keys["cold"] and card["leech"] is True and card["lapses"] == 2
    assert set(card) >= {"deck", "section", "kind", "state", "status", "buried", "due", "due_days", "recall",
                         "stability", "difficulty", "reps", "path", "line", "prompt"}


def test_suspend_says_how_many_and_unsuspend_puts_them_back(env, run):
    code, out, _ = run("suspend", "deck:Alpha deck", "is:review")
    assert code == 0 and out.strip() == "Suspended 2 cards (1 already suspended, or retired)."
    assert status(env, "north") == "suspended" and status(env, "cold") == "suspended"
    code, out, _ = run("unsuspend", "is:suspended")
    assert code == 0 and out.strip() == "Unsuspended 3 cards."
    assert status(env, "loops") == "active"


def test_bury_unbury_and_forget(env, run):
    assert run("bury", "north")[1].strip() == "Buried 1 card."
    assert run("unbury", "is:buried")[1].strip() == "Unburied 2 cards."
    assert run("forget", "is:leech")[1].strip() == "Forgotten 1 card."
    assert lines(run("is:leech")[1])[0][2] == "new"  # still a leech: its lapses stay in the log


def test_set_due_needs_days(env, run):
    code, _, err = run("set-due", "north")
    assert code == 1 and "set-due needs --days N" in err
    code, out, _ = run("set-due", "--days", "0", "north")
    assert code == 0 and out.strip() == "Rescheduled 1 card."
    assert env.keys["north"] in [r[0] for r in lines(run("is:due")[1])]


def test_more_than_twenty_cards_need_yes(env, run, monkeypatch):
    monkeypatch.setattr("trainer.cards_view.CONFIRM_ABOVE", 2)
    code, out, err = run("suspend", "is:review")
    assert code == 1 and "matches 5 cards; add --yes" in err and "Traceback" not in err
    assert status(env, "north") == "active"
    code, out, _ = run("suspend", "is:review", "--yes")
    assert code == 0 and out.strip().startswith("Suspended 4 cards")


def test_dry_run_lists_what_would_change_and_changes_nothing(env, run):
    code, out, err = run("suspend", "is:review", "--dry-run")
    assert code == 0
    assert {row[0] for row in lines(out)} == {env.keys[n] for n in ("north", "cold", "ete", "second")}
    assert "4 of 5 cards would be suspended" in err and "nothing was changed" in err
    assert status(env, "north") == "active"


def test_an_action_without_a_search_or_matching_nothing(env, run):
    code, _, err = run("forget")
    assert code == 1 and "say which cards to forget" in err
    code, out, _ = run("forget", "no such words anywhere")
    assert code == 0 and "No cards match" in out


def test_a_bad_search_exits_1_with_the_term_named(env, run):
    code, out, err = run("is:soon")
    assert code == 1 and out == ""
    assert err.startswith("error: search: 'is:soon'") and "Traceback" not in err


def test_options_that_need_an_action(env, run):
    code, _, err = run("is:new", "--yes")
    assert code == 1 and "go with an action" in err


def test_no_database_is_an_error_not_a_new_file(tmp_path, run, monkeypatch):
    missing = tmp_path / "none.db"
    monkeypatch.setenv("TRAINER_DB", str(missing))
    code, _, err = run()
    assert code == 1 and "no database here yet" in err and not missing.exists()


def test_the_installed_command_prints_no_traceback(env):
    done = subprocess.run([sys.executable, "-m", "trainer", "cards", "prop:recall<x"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "'prop:recall<x'" in done.stderr
