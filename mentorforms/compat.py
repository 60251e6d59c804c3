"""Where the page server relies on other libraries' internals: each use named here, with the
release it was read from, and checked when the server starts (:func:`check`), so a release that
renames one stops the server with a plain message instead of failing quietly later.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

import jinja2


@dataclass(frozen=True)
class Internal:
    """One name of another library this package relies on though the library does not promise it."""

    module: str
    name: str
    read_from: str
    why: str

    def resolve(self) -> Any:
        """The object, or AttributeError/ImportError when this release has no such name."""
        target: Any = importlib.import_module(self.module)
        for part in self.name.split("."):
            target = getattr(target, part)
        return target


#: Voila builds a new exporter, and so a new Jinja environment that compiles every template
#: again, for each page it renders; the page server gives them a shared bytecode cache by putting
#: a subclass in the module's place (:func:`compile_templates_once`).
VOILA_RENDERER_EXPORTER = Internal("voila.notebook_renderer", "VoilaExporter", "voila 0.5.13",
                                   "templates compiled once per server, not per page")
#: The ready kernels Voila is starting for its pools (asyncio tasks per notebook), counted by
#: admission as pages being opened.
VOILA_POOLS = Internal("voila.voila_kernel_manager", "voila_kernel_manager_factory", "voila 0.5.13",
                       "the kernel manager keeps its pools in the attribute _pools")
#: jupyter_server's count of browser connections per kernel and its kernel table, read by the
#: culler of closed tabs (:mod:`mentorforms.server.kernels`).
SERVER_KERNEL_TABLES = Internal("jupyter_server.services.kernels.kernelmanager", "MappingKernelManager",
                                "jupyter_server 2.21.1", "the attributes _kernels and _kernel_connections")

#: Voila's handler of template static files finds the file under the folders in its attribute
#: ``roots``, which mentorforms.server.voila_app.TemplateFilesHandler fills once per template name.
VOILA_STATIC_ROOTS = Internal("voila.static_file_handler", "TemplateStaticFileHandler.validate_absolute_path",
                              "voila 0.5.13", "static files found under the handler's roots attribute")

INTERNALS = (VOILA_RENDERER_EXPORTER, VOILA_POOLS, SERVER_KERNEL_TABLES, VOILA_STATIC_ROOTS)


def check() -> list[str]:
    """What is missing from the libraries installed, one plain sentence each (empty: all found)."""
    missing = []
    for internal in INTERNALS:
        try:
            internal.resolve()
        except (ImportError, AttributeError) as error:
            missing.append(f"{internal.module}.{internal.name} (read from {internal.read_from}, for {internal.why}) "
                           f"is not in the installed release: {error}")
    try:
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

        probe = MappingKernelManager()
        for attribute in ("_kernels", "_kernel_connections"):
            if not hasattr(probe, attribute):
                missing.append(f"jupyter_server's MappingKernelManager has no {attribute} (read from jupyter_server 2.21.1)")
    except ImportError as error:
        missing.append(f"jupyter_server cannot be imported: {error}")
    return missing


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by template name and file (Jinja checks the
    source's checksum before using one, so an edited template is compiled again)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def compile_templates_once() -> jinja2.BytecodeCache:
    """Give every Voila exporter of this process one shared bytecode cache; the cache."""
    module = importlib.import_module(VOILA_RENDERER_EXPORTER.module)
    base = VOILA_RENDERER_EXPORTER.resolve()
    if getattr(base, "mentorforms_cache", None) is not None:
        return base.mentorforms_cache
    cache = _MemoryBytecodeCache()

    class CompiledOnceExporter(base):  # type: ignore[misc, valid-type]
        mentorforms_cache = cache

        @property
        def environment(self) -> jinja2.Environment:
            environment = super().environment
            environment.bytecode_cache = cache
            return environment

    setattr(module, VOILA_RENDERER_EXPORTER.name, CompiledOnceExporter)
    return cache
