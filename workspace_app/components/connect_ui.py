"""Connect a model in one step: the same form on the welcome card and in Settings.

Three ways (a server on this computer, an API, a model file) and "no model". Each
choice is checked (the model must answer) before it is saved in the workspace, so a
failed try leaves everything as it was; the message says what is wrong in words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from pipelines.errors import FolioError
from pipelines.llm import connect, discovery, model_files, providers
from pipelines.llm.label import OFFLINE, model_name, written_by
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.actions.download import start_download
from workspace_app.components import jobs as job_ui

WAYS = {
    "local": "A server on this computer",
    "api": "An API or another server",
    "file": "A model file",
    "offline": "No model",
}
OTHER = "other"


def _flash_place(where: str) -> str:
    return f"connect_{where}"


def _said(where: str, kind: str, text: str) -> None:
    state.flash(text, kind, where=_flash_place(where))


def _done(where: str, result: connect.Connected) -> None:
    _said(
        where,
        "success",
        f"{result.check} Answers, summaries and scripts are now written by: {result.writer}.",
    )
    if result.overridden:
        _said(where, "warning", _env_words(result.overridden))


def _env_words(overridden: dict[str, str]) -> str:
    names = ", ".join(f"{field} ({var})" for field, var in overridden.items())
    return f"The environment sets {names}; it wins over what is chosen here."


# -- callbacks (they run before the page is drawn again) ----------------------------------
def _scan(where: str) -> None:
    typed = str(state.widget_value(state.connect_key(where, "ports"), "") or "")
    try:
        extra = discovery.parse_ports(typed) + discovery.parse_ports(
            resources.settings().llm.scan_ports
        )
    except FolioError as exc:
        _said(where, "error", str(exc))
        return
    found = discovery.find_local_servers(extra)
    state.set_found_servers(where, [(s.name, s.base_url, list(s.models)) for s in found])
    if not found:
        ports = ", ".join(str(p) for p in discovery.ports_to_scan(extra))
        _said(
            where,
            "warning",
            f"No model server answers on this computer (ports {ports}). Start Ollama, "
            "LM Studio, llama.cpp or vLLM, or type the port it listens on.",
        )


def _use_found(where: str) -> None:
    picked = state.widget_value(state.connect_key(where, "pick"))
    if not picked:
        _said(where, "error", "Pick a model from the list first.")
        return
    base_url, model = str(picked).split("\n", 1)
    _connect(where, lambda home: connect.connect_server(home, base_url, model))


def _list_models(where: str) -> None:
    from pydantic import SecretStr

    from pipelines.llm.diagnose import probe_client

    url, key = _api_fields(where)
    settings = resources.settings().llm.model_copy(
        update={"base_url": url, **({"api_key": SecretStr(key)} if key else {})}
    )
    try:
        models = probe_client(settings, timeout_s=15).list_models()
    except FolioError as exc:
        _said(where, "error", str(exc))
        return
    state.set_listed_models(where, models)
    if not models:
        _said(where, "warning", f"The server at {url} lists no models; type the model's name.")


def _use_api(where: str) -> None:
    url, key = _api_fields(where)
    model = str(state.widget_value(state.connect_key(where, "model"), "") or "").strip()
    state.set_widget_value(state.connect_key(where, "key"), "")  # never shown back
    _connect(where, lambda home: connect.connect_server(home, url, model, api_key=key or None))


def _api_fields(where: str) -> tuple[str, str]:
    chosen = state.widget_value(state.connect_key(where, "provider"), OTHER)
    if chosen and chosen != OTHER:
        url = providers.provider(str(chosen)).base_url
    else:
        url = str(state.widget_value(state.connect_key(where, "url"), "") or "").strip()
    key = str(state.widget_value(state.connect_key(where, "key"), "") or "").strip()
    return url, key


def _use_file(where: str) -> None:
    typed = str(state.widget_value(state.connect_key(where, "path"), "") or "").strip()
    picked = state.widget_value(state.connect_key(where, "file"))
    path = typed or picked
    if not path:
        _said(where, "error", "Pick a model file, or type the path of a .gguf file.")
        return
    _connect(where, lambda home: connect.connect_file(home, Path(str(path))))


def _offline(where: str) -> None:
    _connect(where, connect.use_offline)


def _connect(where: str, attempt: Callable[[Path], connect.Connected]) -> None:
    try:
        result = attempt(resources.home())
    except FolioError as exc:
        _said(where, "error", str(exc))
        return
    _done(where, result)


# -- drawing -------------------------------------------------------------------------------
def writer_line() -> str:
    """ "Answers, summaries and scripts are written by: …" for the current choice."""
    return f"Answers, summaries and scripts are written by: **{written_by(resources.llm())}**"


def _local_form(where: str) -> None:
    st.text_input(
        "Also look on port(s)",
        key=state.connect_key(where, "ports"),
        placeholder="e.g. 8081",
        help="Folio looks on Ollama's 11434, LM Studio's 1234, llama.cpp's 8080 and vLLM's "
        "8000; add the port your server listens on if it is another.",
    )
    st.button(
        "Look for servers", key=state.connect_key(where, "scan"), on_click=_scan, args=(where,)
    )
    found = state.found_servers(where)
    options = [f"{url}\n{model}" for _, url, models in found for model in models]
    names = {url: name for name, url, _ in found}
    if found and not options:
        st.warning("The servers found list no models yet; load one in the server first.")
    if options:

        def label(option: str) -> str:
            url, model = option.split("\n", 1)
            return f"{model_name(model)} — {names[url]} ({url})"

        st.selectbox("Model", options, key=state.connect_key(where, "pick"), format_func=label)
        st.button(
            "Use this model",
            key=state.connect_key(where, "use"),
            type="primary",
            on_click=_use_found,
            args=(where,),
        )


def _api_form(where: str) -> None:
    choices = [p.key for p in providers.PROVIDERS] + [OTHER]
    names = {p.key: f"{p.name} ({p.base_url})" for p in providers.PROVIDERS}
    chosen = st.selectbox(
        "Provider",
        choices,
        key=state.connect_key(where, "provider"),
        format_func=lambda k: names.get(k, "Another OpenAI-compatible server (type its URL)"),
    )
    if chosen == OTHER:
        st.text_input(
            "Server URL",
            key=state.connect_key(where, "url"),
            placeholder="http://192.168.1.20:11434/v1",
            help="The address of its OpenAI-compatible API; it usually ends in /v1.",
        )
    st.text_input(
        "API key",
        type="password",
        key=state.connect_key(where, "key"),
        help="Saved in this workspace in a file only you can read (keys.toml), never shown "
        "again. Leave it empty for a server that needs none, or to keep the saved one. "
        "FOLIO_LLM__API_KEY wins over it.",
    )
    st.button(
        "List its models",
        key=state.connect_key(where, "list"),
        on_click=_list_models,
        args=(where,),
    )
    listed = state.listed_models(where)
    if listed:
        st.selectbox("Model", listed, key=state.connect_key(where, "model"), format_func=model_name)
    else:
        st.text_input(
            "Model", key=state.connect_key(where, "model"), placeholder="its name on the server"
        )
    st.button(
        "Use this model",
        key=state.connect_key(where, "use_api"),
        type="primary",
        on_click=_use_api,
        args=(where,),
    )


def _file_form(where: str, ws: Workspace) -> None:
    known = [str(p) for p in model_files.local_models()]
    if known:
        st.selectbox(
            "Model file",
            known,
            key=state.connect_key(where, "file"),
            format_func=lambda p: Path(p).name,
        )
    st.text_input(
        "Or the path of a .gguf file",
        key=state.connect_key(where, "path"),
        placeholder="/home/me/models/model.gguf",
    )
    st.button(
        "Use this file",
        key=state.connect_key(where, "use_file"),
        type="primary",
        on_click=_use_file,
        args=(where,),
    )
    st.caption("Run in this process with llama-cpp-python. Or download one (once; it stays here):")
    busy = job_ui.running(ws, "download")
    if busy:
        job_ui.watch(ws, [j.id for j in busy])
        return
    for entry in model_files.CATALOG:
        st.button(
            f"Download {entry.label}",
            key=state.connect_key(where, f"download_{entry.key}"),
            help=f"{entry.about}. From {entry.repo_id} on the Hugging Face Hub.",
            on_click=_download,
            args=(where, ws, entry.key),
        )


def _download(where: str, ws: Workspace, key: str) -> None:
    state.active_jobs()["download"] = start_download(ws, key, resources.home())


def _finished_download(where: str, ws: Workspace) -> None:
    """The outcome of this session's last download, once."""
    from pipelines.workspace import jobs

    job_id = state.active_jobs().get("download")
    if not job_id or job_id in state.seen_jobs():
        return
    job = jobs.get_job(ws, job_id)
    if job is None or job.status == "running":
        return
    state.seen_jobs().add(job_id)
    if job.status == "done":
        result = job.payload.get("result") or {}
        st.success(
            f"{result.get('check', '')} Answers, summaries and scripts are now written by: {result.get('written_by')}."
        )
    else:
        job_ui.show_failure(job)


def draw(where: str, ws: Workspace) -> None:
    """The connect form; `where` keeps the welcome card's widgets apart from Settings'."""
    st.markdown(writer_line())
    overridden = connect.env_overrides()
    if overridden:
        st.caption(_env_words(overridden))
    way = st.radio(
        "How should Folio write?",
        list(WAYS),
        format_func=WAYS.get,
        key=state.connect_key(where, "way"),
        horizontal=True,
    )
    if way == "local":
        _local_form(where)
    elif way == "api":
        _api_form(where)
    elif way == "file":
        _file_form(where, ws)
    else:
        st.caption(
            f"Without a model, answers, summaries and scripts are the {OFFLINE.split(': ')[1]}, quoted and cited."
        )
        st.button(
            "Use no model",
            key=state.connect_key(where, "offline"),
            on_click=_offline,
            args=(where,),
        )
    _finished_download(where, ws)
    for kind, message in state.pop_flash(_flash_place(where)):
        getattr(st, kind)(message)
