"""Chapter-scoped queries at library scale: the dense leg scans only the scope's stored
vectors (exact, same answers as chroma's filtered index), BM25 is built at indexing time
and only loaded by queries, and a question is embedded once."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.index import dense_scope, index_source, lexical, retrieval, search, vectors
from pipelines.ingest import parse_file
from pipelines.types import Scope
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import ALICE, TIME_MACHINE

pytestmark = pytest.mark.slow
QUERIES = [
    "what was the little model of the machine made of",
    "the time traveller and the morlocks",
    "Weena and the fire in the forest",
    "the sphinx of white stone on a bronze pedestal",
    "a rabbit with a pocket watch",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    home = tmp_path_factory.mktemp("folio-scoped")
    ws = Workspace(home)
    books = []
    for path in (TIME_MACHINE, ALICE):
        source, data = parse_file(path)
        ws.add_source(source, data)
        index_source(ws, source, settings=session_of(ws).settings)
        lexical.prepare(ws, source.id)  # what indexing does once a source's passages are stored
        books.append(ws.get_source(source.id))
    yield ws, books
    vectors.forget_clients(ws)


def _scopes(books):
    tm, alice = books
    return [
        Scope.chapters(tm, [1]),
        Scope.chapters(tm, [3, 8, 12]),
        Scope.upto(tm, 5),
        Scope.sources(tm),
        Scope.chapters(alice, [2, 7]),
        Scope.sources(tm, alice),
    ]


def _through_chroma(ws, query, scope, **kw):
    old = dense_scope.SCAN_LIMIT
    dense_scope.SCAN_LIMIT = 0  # the scan declines: chroma's filtered HNSW query answers
    try:
        return search(session_of(ws), query, scope, **kw)
    finally:
        dense_scope.SCAN_LIMIT = old


def test_scan_answers_like_chromas_filtered_index_and_stays_in_scope(library):
    ws, books = library
    for scope in _scopes(books):
        allowed = set(scope.chapter_ids) if scope.chapter_ids is not None else None
        for query in QUERIES:
            for mode in ("hybrid", "dense"):
                scan = search(session_of(ws), query, scope, k=8, mode=mode)
                chroma = _through_chroma(ws, query, scope, k=8, mode=mode)
                assert scan, (query, mode)
                for h in scan:
                    assert h.passage.source_id in scope.source_ids
                    if allowed is not None:
                        assert h.passage.chapter_id in allowed, (query, h.passage.chapter_id)
                assert [h.passage.id for h in scan] == [h.passage.id for h in chroma], (
                    query,
                    mode,
                )
                for a, b in zip(scan, chroma, strict=True):
                    assert a.score == pytest.approx(b.score, abs=2e-6)
                    assert a.dense_rank == b.dense_rank and a.lexical_rank == b.lexical_rank


def test_scan_reads_only_the_scope(library, monkeypatch):
    ws, (tm, _) = library
    scope = Scope.chapters(tm, [4])
    qvec = retrieval.question_vector(QUERIES[1], session_of(ws).settings)
    hits = dense_scope.query(ws, qvec, scope.source_ids, scope.chapter_ids, 40)
    in_chapter = ws.passages_for(chapter_ids=scope.chapter_ids)
    assert hits is not None and {pid for pid, _ in hits} == {p.id for p in in_chapter}
    # a scope larger than the scan limit goes to chroma, with the same answer
    assert dense_scope.query(ws, qvec, [tm.id], None, 8, limit=10) is None
    scanned = retrieval.dense_search(ws, qvec, [tm.id], None, 8, settings=session_of(ws).settings)
    indexed = vectors.query(ws, qvec, [tm.id], None, 8, settings=session_of(ws).settings)
    assert [pid for pid, _ in scanned] == [pid for pid, _ in indexed]
    for (_, a), (_, b) in zip(scanned, indexed, strict=True):
        assert a == pytest.approx(b, abs=2e-6)  # float32 sums in another order


def test_a_passage_without_a_stored_embedding_sends_the_query_to_chroma(library):
    ws, (tm, _) = library
    scope = Scope.chapters(tm, [6])
    first = ws.passages_for(chapter_ids=scope.chapter_ids)[0]
    with ws.connect() as con:
        (blob,) = con.execute("SELECT embedding FROM passages WHERE id=?", (first.id,)).fetchone()
    ws.store_embeddings([(first.id, None)])  # type: ignore[list-item]
    try:
        qvec = retrieval.question_vector(QUERIES[2], session_of(ws).settings)
        assert dense_scope.query(ws, qvec, scope.source_ids, scope.chapter_ids, 8) is None
        hits = search(session_of(ws), QUERIES[2], scope, k=8, mode="dense")
        assert hits and {h.passage.chapter_id for h in hits} <= set(scope.chapter_ids)
    finally:
        ws.store_embeddings([(first.id, blob)])


def test_queries_load_saved_bm25_and_never_build_it(library, monkeypatch):
    ws, books = library
    for book in books:
        assert (lexical.index_dir(ws, book.id) / "meta.json").is_file()
        assert lexical.prepare(ws, book.id) is False  # already saved and current
    lexical._cache.clear()  # as a new process

    def no_build(*_a, **_k):
        raise AssertionError("BM25 built on a query")

    monkeypatch.setattr(lexical, "_build", no_build)
    for scope in _scopes(books):
        for mode in ("hybrid", "lexical"):
            assert search(session_of(ws), QUERIES[0], scope, k=5, mode=mode) is not None
        lexical.term_presence(ws, QUERIES[0], scope.source_ids, scope.chapter_ids)
    loaded = dict(lexical._cache)
    search(session_of(ws), QUERIES[1], Scope.sources(*books), k=5)
    assert all(lexical._cache[key] is idx for key, idx in loaded.items())  # loaded once


def test_a_question_is_embedded_once(library, monkeypatch):
    ws, (tm, _) = library
    retrieval.forget_question_vectors()
    calls = []
    embedder = retrieval.get_embedder(session_of(ws).settings)
    real = embedder.embed

    def counting(texts):
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(embedder, "embed", counting)
    question = "how did the time traveller lose the machine"
    a = search(session_of(ws), question, Scope.chapters(tm, [5]), k=5)
    b = search(session_of(ws), question, Scope.chapters(tm, [6, 7]), k=5)
    search(
        session_of(ws), "  how did the time  traveller lose the machine ", Scope.sources(tm), k=5
    )
    assert calls == [[question]] and a and b
    vec = retrieval.question_vector(question, session_of(ws).settings)
    assert not vec.flags.writeable and np.isclose(np.linalg.norm(vec), 1.0, atol=1e-3)
