"""Model servers running on this computer: the usual local ports (Ollama 11434,
LM Studio 1234, llama.cpp 8080, vLLM 8000, and any more the person names) asked for
`/v1/models` at once, each with a short timeout, through the same client answers use."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from pipelines.errors import BackendError, ConfigError

log = logging.getLogger(__name__)

KNOWN_PORTS: dict[int, str] = {11434: "Ollama", 1234: "LM Studio", 8080: "llama.cpp", 8000: "vLLM"}
HOST = "127.0.0.1"


@dataclass(frozen=True)
class LocalServer:
    name: str  # "Ollama", "llama.cpp", … or "a server on port 8123"
    base_url: str
    models: tuple[str, ...]

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1].split("/")[0])

    @property
    def label(self) -> str:
        where = self.base_url.removeprefix("http://")
        listed = ", ".join(self.models[:5]) + (" …" if len(self.models) > 5 else "")
        return f"{self.name} at {where}: {listed or 'no models listed'}"


def parse_ports(value: str | Iterable[int | str]) -> list[int]:
    """'8123, 9000' (or a list) as port numbers; ConfigError names a bad one."""
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    ports: list[int] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise ConfigError(f"'{text}' is not a port number (1-65535).")
        ports.append(int(text))
    return ports


def ports_to_scan(extra: Iterable[int] = ()) -> list[int]:
    return list(dict.fromkeys([*KNOWN_PORTS, *extra]))


def _probe(port: int, timeout_s: float) -> LocalServer | None:
    from pipelines.llm.openai_compat import OpenAICompatLLM

    url = f"http://{HOST}:{port}/v1"
    client = OpenAICompatLLM(
        url, timeout_s=timeout_s, connect_timeout_s=min(timeout_s, 0.5), max_retries=0
    )
    try:
        models = client.list_models()
    except BackendError as exc:
        if "API key" in str(exc):  # something answers, but wants a key first
            return LocalServer(_name(port), url, ())
        log.debug("Nothing OpenAI-compatible on port %d: %s", port, exc)
        return None
    finally:
        client.close()
    return LocalServer(_name(port), url, tuple(models))


def _name(port: int) -> str:
    return KNOWN_PORTS.get(port, f"a server on port {port}")


def find_local_servers(
    extra_ports: Iterable[int] = (), *, timeout_s: float = 1.5
) -> list[LocalServer]:
    """Every OpenAI-compatible server answering on the usual ports and `extra_ports`,
    in port order of that list; all are asked at once, so this takes about `timeout_s`."""
    ports = ports_to_scan(extra_ports)
    with ThreadPoolExecutor(max_workers=len(ports)) as pool:
        found = list(pool.map(lambda p: _probe(p, timeout_s), ports))
    return [server for server in found if server is not None]
