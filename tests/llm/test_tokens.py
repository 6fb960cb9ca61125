from __future__ import annotations

from pipelines.answers.citations import build_context, render_entry
from pipelines.llm.base import Message
from pipelines.llm.tokens import count_message_tokens, estimate_tokens, fit_passages
from pipelines.types import Passage, ScoredPassage


def _passage(i: int, words: int = 100) -> Passage:
    text = " ".join(f"word{i}x{j}" for j in range(words))
    return Passage(f"p{i}", "s", "c", 1, text, 0, len(text), [i])


def test_estimate_is_conservative() -> None:
    assert estimate_tokens("") == 0
    prose = "The Time Traveller (for so it will be convenient to speak of him) was expounding."
    assert estimate_tokens(prose) >= len(prose) / 4  # BPE gives ~4 chars/token for English
    assert estimate_tokens("日本語") == 3
    msgs = [Message("system", "Be brief."), Message("user", "Hi")]
    assert count_message_tokens(msgs) > estimate_tokens("Be brief.Hi")


def test_everything_fits() -> None:
    fit = fit_passages("sys", "q?", [_passage(i, 20) for i in range(3)], 8192, 512)
    assert fit.dropped == 0 and not fit.trimmed and len(fit.kept) == 3
    assert fit.prompt_tokens <= fit.budget


def test_trims_lowest_ranked_first_and_never_exceeds() -> None:
    passages = [_passage(i) for i in range(20)]
    fit = fit_passages("You answer from passages.", "What happened?", passages, 2048, 512)
    assert 0 < len(fit.kept) < 20
    assert fit.kept == passages[: len(fit.kept)]
    assert fit.dropped == 20 - len(fit.kept) and fit.dropped_items == passages[len(fit.kept) :]
    assert fit.prompt_tokens <= 2048 - 512
    # with the real rendering, the whole prompt is within budget by the estimate
    ctx = build_context(fit.kept)
    prompt = [
        Message("system", "You answer from passages."),
        Message("user", "What happened?\n" + ctx.text),
    ]
    assert count_message_tokens(prompt) <= 2048 - 512


def test_custom_render_and_scored_passages() -> None:
    scored = [ScoredPassage(_passage(i), 1.0 / (i + 1)) for i in range(5)]
    fit = fit_passages("s", "q", scored, 10_000, 0)
    assert fit.kept == scored
    ctx = build_context([s.passage for s in scored])
    entries = list(ctx.entries.values())
    fit = fit_passages("s", "q", entries, 400, 0, render=render_entry)
    assert len(fit.kept) == 1 and fit.dropped == 4


def test_window_smaller_than_prompt_keeps_nothing() -> None:
    fit = fit_passages("s" * 1000, "q", [_passage(1)], 100, 50)
    assert fit.kept == [] and fit.dropped == 1
