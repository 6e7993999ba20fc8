"""Running the CLI as a user who cannot do what root can (tests often run as root)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def run_unprivileged(db: Path, argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in a forked child that cannot do what root could (uid nobody when run as root):
    (exit code, stdout, stderr)."""
    import tempfile

    import trainer.cli
    import trainer.history  # noqa: F401  (imported before the fork: nobody cannot read the venv's home)
    import trainer.stats_view  # noqa: F401

    out, err = (Path(tempfile.mkstemp(dir=db.parent.parent)[1]) for _ in range(2))
    os.chmod(out, 0o666)
    os.chmod(err, 0o666)
    pid = os.fork()
    if pid == 0:  # the child
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            # pytest has replaced sys.stdout and sys.stderr, not fds 1 and 2.
            sys.stdout = open(out, "w", buffering=1)
            sys.stderr = open(err, "w", buffering=1)
            os.environ["TRAINER_DB"] = str(db)
            sys.argv = ["trainer", *argv]
            code = 0
            try:
                trainer.cli.main()
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        except BaseException:
            os._exit(99)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.read_text(), err.read_text()


@pytest.fixture
def shared_tmp():
    """A folder another user can reach (pytest's own is private to root)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="trainer-hostile-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
