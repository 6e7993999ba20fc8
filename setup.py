"""Build hook: ship the top-level decks/ inside the installed package.

The decks live at the top of the repository, where people read and edit them;
an installed trainer must still find them without the checkout, so the build
copies them to trainer/decks/. Editable installs find them in the checkout
(see trainer.config.bundled_decks_dir).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithDecks(build_py):
    def run(self):
        super().run()
        source = Path(__file__).parent / "decks"
        target = Path(self.build_lib) / "trainer" / "decks"
        target.mkdir(parents=True, exist_ok=True)
        for deck in sorted(source.glob("*.md")):
            shutil.copy2(deck, target / deck.name)


setup(cmdclass={"build_py": BuildPyWithDecks})
