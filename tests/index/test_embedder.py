"""The three embedders of all-MiniLM-L6-v2 agree; the model never comes from a hub."""

from __future__ import annotations

import numpy as np
import pytest

from pipelines.errors import ConfigError
from pipelines.index.chunking import chunk_source
from pipelines.index.embedder import get_embedder
from pipelines.ingest import parse_file
from tests.sources import TIME_MACHINE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def texts() -> list[str]:
    source, _ = parse_file(TIME_MACHINE)
    passages = chunk_source(source)
    return [p.text for p in passages[20:52]] + ["Who pressed the lever?", "ivory"]


def test_embedders_agree_with_torch(texts):
    ref = get_embedder("torch").embed(texts)
    assert ref.shape == (len(texts), 384) and ref.dtype == np.float32
    assert np.allclose(np.linalg.norm(ref, axis=1), 1.0, atol=1e-4)
    onnx = get_embedder("onnx").embed(texts)
    assert (onnx * ref).sum(1).min() >= 0.99
    int8 = get_embedder("onnx-int8").embed(texts)
    cos = (int8 * ref).sum(1)
    assert cos.mean() >= 0.98 and cos.min() >= 0.95  # int8 weights cost a little
    assert int8.dtype == np.float32 and np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-3)


def test_batching_and_order_do_not_change_vectors(texts):
    emb = get_embedder("onnx-int8")
    whole = emb.embed(texts)
    single = np.vstack([emb.embed([t]) for t in texts[:4]])
    # dynamic int8 picks activation scales per batch, so batch mates move vectors a little
    assert (whole[:4] * single).sum(1).min() >= 0.98
    exact = get_embedder("onnx")
    assert np.allclose(
        exact.embed(texts)[:4], np.vstack([exact.embed([t]) for t in texts[:4]]), atol=1e-4
    )
    assert emb.embed([]).shape == (0, 384)
    assert get_embedder("onnx-int8") is emb  # loaded once per process


def test_unknown_embedder_is_a_config_error():
    with pytest.raises(ConfigError):
        get_embedder("word2vec")
