"""Offline evaluations of Folio's pipelines (retrieval quality and speed)."""
