"""Scoped hybrid retrieval over real books: real model, real chroma, real SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipelines.index import index_source, remove_source_index, repair, search, vectors
from pipelines.ingest import parse_file
from pipelines.types import Scope
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import ALICE, REPO, TIME_MACHINE

pytestmark = pytest.mark.slow
MODES = ("hybrid", "dense", "lexical")
MODEL_QUERY = "what was the little model of the machine made of"


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    home = tmp_path_factory.mktemp("folio-index")
    ws = Workspace(home)
    books = []
    for path in (TIME_MACHINE, ALICE):
        source, data = parse_file(path)
        ws.add_source(source, data)
        assert index_source(ws, source, settings=session_of(ws).settings) > 10
        books.append(ws.get_source(source.id))
    yield ws, books[0], books[1]
    vectors.forget_clients(ws)


def _check_in_scope(ws, scope, query="the time traveller and the morlocks"):
    allowed = set(scope.chapter_ids) if scope.chapter_ids is not None else None
    for mode in MODES:
        hits = search(session_of(ws), query, scope, k=8, mode=mode)
        assert hits, mode
        for h in hits:
            assert h.passage.source_id in scope.source_ids
            if allowed is not None:
                assert h.passage.chapter_id in allowed


def test_one_chapter(indexed):
    ws, tm, _ = indexed
    _check_in_scope(ws, Scope.chapters(tm, [7]))


def test_several_chapters(indexed):
    ws, tm, _ = indexed
    _check_in_scope(ws, Scope.chapters(tm, [3, 8, 12]))


def test_whole_source_and_several_sources(indexed):
    ws, tm, alice = indexed
    _check_in_scope(ws, Scope.sources(alice), "a rabbit with a watch")
    both = Scope.sources(tm, alice)
    _check_in_scope(ws, both, "a rabbit with a watch")
    sources = {
        h.passage.source_id for h in search(session_of(ws), "Alice and the rabbit hole", both, k=8)
    }
    assert alice.id in sources


def test_upto_n_never_spoils(indexed):
    ws, tm, _ = indexed
    scope = Scope.upto(tm, 5)
    _check_in_scope(ws, scope, "Weena and the fire in the forest")
    for mode in MODES:
        for h in search(session_of(ws), "Weena and the fire in the forest", scope, k=8, mode=mode):
            assert h.passage.chapter_index <= 5


def test_empty_scope_and_query(indexed):
    ws, tm, _ = indexed
    assert search(session_of(ws), "anything", Scope([tm.id], [])) == []
    assert search(session_of(ws), "   ", Scope.sources(tm)) == []


def test_hybrid_finds_the_model_time_machine(indexed):
    ws, tm, _ = indexed
    chapter_one = next(c for c in tm.chapters if c.title.strip() == "I")
    hits = search(session_of(ws), MODEL_QUERY, Scope.sources(tm), k=5)
    top = [h for h in hits if h.passage.chapter_id == chapter_one.id and "ivory" in h.passage.text]
    assert top, [h.passage.text[:80] for h in hits]
    assert hits[0].dense_rank is not None or hits[0].lexical_rank is not None


def _run(code: str, home: Path) -> str:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "FOLIO_HOME": str(home),
    }
    guard = textwrap.dedent(
        """
        import socket
        _real = socket.socket.connect
        def _guard(self, addr):
            host = addr[0] if isinstance(addr, tuple) else addr
            if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
                return _real(self, addr)
            if self.family == socket.AF_UNIX:
                return _real(self, addr)
            raise OSError(f"network blocked: {addr!r}")
        socket.socket.connect = _guard
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", guard + textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()[-1]


def _signature(hits):
    return [(h.passage.id, round(h.score, 6), h.dense_rank, h.lexical_rank) for h in hits]


def test_reopen_gives_identical_results(indexed):
    ws, tm, _ = indexed
    query = "the sphinx of white stone on a bronze pedestal"
    first = _signature(search(session_of(ws), query, Scope.sources(tm), k=8))
    again = _signature(search(session_of(Workspace(ws.home)), query, Scope.sources(tm), k=8))
    assert first == again
    code = f"""
        import json
        from pipelines.index import search
        from pipelines.types import Scope
        from pipelines.workspace.store import Workspace
        from tests.sessions import session_of
        ws = Workspace({str(ws.home)!r})
        hits = search(session_of(ws), {query!r}, Scope([{tm.id!r}]), k=8)
        print(json.dumps([[h.passage.id, round(h.score, 6), h.dense_rank, h.lexical_rank] for h in hits]))
    """
    other = [tuple(x) for x in json.loads(_run(code, ws.home))]
    assert other == first


def test_embedding_function_round_trips_in_a_new_process(indexed):
    ws, tm, _ = indexed
    code = f"""
        import json, chromadb
        from chromadb.config import Settings
        import pipelines.index.vectors  # registers the embedding function
        client = chromadb.PersistentClient({str(ws.vectors_dir)!r}, settings=Settings(anonymized_telemetry=False))
        col = client.get_collection("passages")  # no embedding function passed: built from config
        res = col.query(query_texts=[{MODEL_QUERY!r}], n_results=3, where={{"source_id": {tm.id!r}}})
        ef = col.configuration["embedding_function"]  # what chroma embeds query_texts with
        raw = col.configuration_json["embedding_function"]
        print(json.dumps({{"cls": type(ef).__name__, "raw": raw, "ids": res["ids"][0]}}))
    """
    got = json.loads(_run(code, ws.home))
    assert got["cls"] == "FolioEmbeddingFunction"
    assert got["raw"]["type"] == "known" and got["raw"]["name"] == "folio-minilm"
    assert set(got["raw"]["config"]) == {"kind"} and "/" not in json.dumps(got["raw"])
    assert len(got["ids"]) == 3 and all(i.startswith(tm.id[:16]) for i in got["ids"])


def test_remove_and_repair(indexed, tmp_path):
    ws, tm, alice = indexed
    remove_source_index(ws, alice.id, settings=session_of(ws).settings)
    assert ws.passages_for(source_ids=[alice.id]) == []
    assert vectors.ids_for_source(ws, alice.id, settings=session_of(ws).settings) == set()
    assert alice.id in ws.unindexed_source_ids()
    assert repair(ws, settings=session_of(ws).settings) == [alice.id]
    assert alice.id not in ws.unindexed_source_ids()
    assert search(session_of(ws), "a rabbit with a watch", Scope.sources(alice))
    # vectors lost behind the workspace's back are noticed and re-embedded
    some = sorted(vectors.ids_for_source(ws, alice.id, settings=session_of(ws).settings))[:5]
    vectors.delete_ids(ws, some, settings=session_of(ws).settings)
    assert repair(ws, settings=session_of(ws).settings) == [alice.id]
    assert set(some) <= vectors.ids_for_source(ws, alice.id, settings=session_of(ws).settings)
    assert repair(ws, settings=session_of(ws).settings) == []


def test_repair_indexes_a_source_that_was_never_indexed(workspace):
    source, data = parse_file(ALICE)
    workspace.add_source(source, data)  # as if the process died before indexing
    assert workspace.unindexed_source_ids() == [source.id]
    # the next search finishes the interrupted indexing before it looks
    hits = search(session_of(workspace), "the Cheshire cat grinning", Scope.sources(source), k=3)
    assert hits and any("grin" in h.passage.text for h in hits)
    assert workspace.unindexed_source_ids() == []
    assert repair(workspace, settings=session_of(workspace).settings) == []
    vectors.forget_clients(workspace)


def test_bm25_is_saved_loaded_lazily_and_dropped_on_reindex(indexed, monkeypatch):
    from pipelines.index import lexical

    ws, tm, _ = indexed
    scope = Scope.sources(tm)
    first = search(session_of(ws), MODEL_QUERY, scope, k=5, mode="lexical")
    folder = lexical.index_dir(ws, tm.id)
    assert (folder / "meta.json").is_file()  # saved under the workspace folder
    lexical._cache.clear()  # as a new process: the index comes from disk, not a rebuild

    def no_build(*_a, **_k):
        raise AssertionError("BM25 rebuilt on a query after the first time")

    monkeypatch.setattr(lexical, "_build", no_build)
    again = search(session_of(ws), MODEL_QUERY, scope, k=5, mode="lexical")
    assert [(h.passage.id, h.score) for h in again] == [(h.passage.id, h.score) for h in first]
    monkeypatch.undo()
    # re-indexing the source replaces the saved index with a fresh one, at indexing time
    (folder / "meta.json").write_text("{'not json")  # an unreadable old copy
    index_source(ws, tm, settings=session_of(ws).settings)
    assert json.loads((folder / "meta.json").read_text())["fingerprint"]  # saved afresh
    lexical._cache.clear()
    monkeypatch.setattr(lexical, "_build", no_build)
    assert search(session_of(ws), MODEL_QUERY, scope, k=5, mode="lexical")


def test_lexical_tokens_stem_and_drop_question_words():
    from pipelines.index.lexical import tokenize_one

    assert tokenize_one("What does dropout resemble? Describe the whales' ensembling") == [
        "dropout",
        "resembl",
        "whale",
        "ensembl",
    ]
