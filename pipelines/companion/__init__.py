"""The reading companion: who's who so far, whole-book and "so far" questions through the
chapter notes, "previously on", chapter quizzes and flashcards, "explain this passage"
and asking the podcast hosts, each reading chapters 1..N only (never a spoiler)."""
