"""A workspace with The Time Machine (and Alice for whole-book questions), shared by the
companion's tests: ingesting and making offline notes is the slow part."""

from __future__ import annotations

import pytest

from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import ALICE, TIME_MACHINE

# chapter numbers as `folio chapters` lists them for the Standard Ebooks edition
TM_IV = 6  # chapter IV: the Eloi are met, but not yet named
TM_V = 7  # chapter V: Weena, the Eloi and the Morlocks are first named
# What The Time Machine first names after chapter IV (read off the text: a reader at
# chapter IV has met none of them).
AFTER_IV = ["Weena", "Morlock", "Eloi", "Green Porcelain", "camphor", "Wimbledon"]


@pytest.fixture(scope="session")
def companion_ws(tmp_path_factory: pytest.TempPathFactory):
    ws = Workspace(tmp_path_factory.mktemp("companion-home"))
    time_machine = library.add_file(session_of(ws), TIME_MACHINE).source
    alice = library.add_file(session_of(ws), ALICE).source
    return ws, time_machine, alice


def leaked(text: str) -> list[str]:
    return [name for name in AFTER_IV if name.lower() in text.lower()]
