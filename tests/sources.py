"""Paths of the shared real documents (../shared/sources) used across the tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_SOURCES = (REPO.parent / "shared" / "sources").resolve()
BOOKS = SHARED_SOURCES / "books"
PAPERS = SHARED_SOURCES / "papers"

TIME_MACHINE = BOOKS / "wells_the-time-machine_se.epub"
MOBY_DICK = BOOKS / "melville_moby-dick_idpf.epub"
CHILDRENS_LIT = BOOKS / "curry_childrens-literature_idpf.epub"
ALICE = BOOKS / "carroll_alice-in-wonderland_pg19033_epub2.epub"
FREE_CULTURE = BOOKS / "lessig_free-culture.pdf"
TRACEMONKEY = PAPERS / "tracemonkey-pldi-09.pdf"
TULLY = PAPERS / "tully2010_heart-failure-programmes_hindawi_cc-by.pdf"
