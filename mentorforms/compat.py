"""Every use of another library's internals, in one place.

Each name another library does not promise (a private attribute, a module-level class the package
replaces) is an :class:`Internal` below, with the release it was read from, and each use is a small
function here; the rest of the package calls those functions and touches no other library's
underscore name (``tests/test_compat.py`` reads the package's source to keep it so).

:func:`check` looks every internal up; ``mentorforms serve`` and ``mentorforms hub-service`` run it
before they start and refuse to start with a plain message naming what is missing, rather than
falling back; the export checks XlsxWriter's (:func:`require`) before it writes. The releases are
pinned in ``pyproject.toml``.

Light to import (the warm parent that page kernels are forked from imports it): the libraries are
imported inside the functions, never at module import.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import platform
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mentorforms import messages
from mentorforms.errors import MentorformsError

if TYPE_CHECKING:
    import jinja2

#: What each internal is needed for; :func:`check` takes a selection of them.
SERVER = "server"  # the page server (Voila, jupyter_server)
KERNELS = "kernels"  # the warm parent that forks page kernels
EXPORT = "export"  # the analyst workbook written with XlsxWriter
HUB = "hub"  # the proxy in front of the page server behind JupyterHub
#: What ``mentorforms serve`` needs; ``hub-service`` needs :data:`HUB` as well.
SERVE_NEEDS = (SERVER, KERNELS, EXPORT)


class LibraryChanged(MentorformsError):
    """An installed library lacks a name this package relies on; ``library`` and ``name`` say which."""

    def __init__(self, library: str, name: str, reason: str) -> None:
        super().__init__(reason)
        self.library = library
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class Internal:
    """One name of another library this package relies on though the library does not promise it.

    ``name`` is an attribute path under ``module``. ``assigned_in``, when set, says the name's last
    part is an instance attribute, looked for among the names the code of that attribute path
    assigns or reads (the object itself is made only while the server runs).
    """

    library: str
    module: str
    name: str
    read_from: str
    why: str
    needed_by: str
    assigned_in: str | None = None

    def resolve(self) -> Any:
        """The object (for an instance attribute, the function that sets it); LibraryChanged when
        the installed release has no such name."""
        try:
            target: Any = importlib.import_module(self.module)
            for part in (self.assigned_in or self.name).split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError) as error:
            raise self.missing(str(error)) from None
        if self.assigned_in is not None and self.name.rpartition(".")[2] not in _code_names(target):
            raise self.missing(f"{self.assigned_in} no longer sets {self.name}")
        return target

    def missing(self, detail: str) -> LibraryChanged:
        """The error saying this internal is missing from the installed release."""
        return LibraryChanged(self.library, self.name, messages.say(
            messages.LIBRARY_INTERNAL_MISSING, library=self.library, installed=installed_release(self.library),
            name=f"{self.module}.{self.name}", read_from=self.read_from, why=self.why, detail=detail))


def _code_names(function: Any) -> set[str]:
    # The names a function's code uses, its nested functions' and classes' included.
    names: set[str] = set()
    codes = [getattr(function, "__code__", None)]
    while codes:
        code = codes.pop()
        if code is not None:
            names.update(code.co_names)
            codes.extend(const for const in code.co_consts if hasattr(const, "co_names"))
    return names


def installed_release(library: str) -> str:
    """The installed version of distribution ``library`` ("not installed" when it is not)."""
    if library == "Python":
        return platform.python_version()
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


#: Voila builds a new exporter, and so a new Jinja environment that compiles every template
#: again, for each page it renders; the page server gives them a shared bytecode cache by putting
#: a subclass in the module's place (:func:`compile_templates_once`).
VOILA_RENDERER_EXPORTER = Internal("voila", "voila.notebook_renderer", "VoilaExporter", "voila 0.5.13",
                                   "templates compiled once per server, not per page", SERVER)
#: Voila's handler of template static files finds the file under the folders in its attribute
#: ``roots``, which mentorforms.server.voila_app.TemplateFilesHandler fills once per template name.
VOILA_STATIC_ROOTS = Internal("voila", "voila.static_file_handler", "TemplateStaticFileHandler.roots",
                              "voila 0.5.13", "static files found under the handler's roots attribute", SERVER,
                              assigned_in="TemplateStaticFileHandler.validate_absolute_path")
#: The ready kernels Voila is starting for its pools (lists of asyncio tasks per notebook), counted
#: by admission as pages being opened (:func:`voila_pools`).
VOILA_POOLS = Internal("voila", "voila.voila_kernel_manager", "VoilaKernelManager._pools", "voila 0.5.13",
                       "admission counts the ready kernels being started", SERVER,
                       assigned_in="voila_kernel_manager_factory")
#: jhsingle-native-proxy drops and adds request headers in this method of its handler; the Hub
#: service wraps it so every forwarded request carries the proxy's secret (:func:`proxy_header_filter`).
PROXY_HEADER_FILTER = Internal("jhsingle-native-proxy", "jhsingle_native_proxy.proxyhandlers",
                               "ProxyHandler._filter_headers_and_query", "jhsingle-native-proxy 0.8.3",
                               "the proxy's secret header on every forwarded request", HUB)
#: pyzmq's process-wide context (made by ``zmq.Context.instance()``): a warm parent that has one
#: must not fork (:func:`zmq_context_exists`).
ZMQ_SHARED_CONTEXT = Internal("pyzmq", "zmq", "Context._instance", "pyzmq 27.3.0",
                              "no fork while a zmq context exists", KERNELS)
#: CPython runs the exit handlers only on a normal exit; a forked kernel ends with ``os._exit``
#: and runs them itself first (:func:`run_exit_handlers`).
EXIT_HANDLERS = Internal("Python", "atexit", "_run_exitfuncs", "CPython 3.11",
                         "a forked kernel's exit handlers run before it ends", KERNELS)
#: The export's fast path for table rows (:mod:`mentorforms.reports.xlsx_rows`) writes worksheet
#: XML itself where XlsxWriter writes its rows, with XlsxWriter's own string table, style numbers,
#: sheet extent and date serials, so its cells are exactly XlsxWriter's.
XLSX_ROW_WRITER = Internal("XlsxWriter", "xlsxwriter.worksheet", "Worksheet._write_rows", "XlsxWriter 3.3.1",
                           "the export writes table rows as XML in their place", EXPORT)
XLSX_EXTENT = Internal("XlsxWriter", "xlsxwriter.worksheet", "Worksheet._check_dimensions", "XlsxWriter 3.3.1",
                       "rows written as XML count in the sheet's extent", EXPORT)
XLSX_DATE_SERIAL = Internal("XlsxWriter", "xlsxwriter.worksheet", "Worksheet._convert_date_time", "XlsxWriter 3.3.1",
                            "dates written as XlsxWriter writes them", EXPORT)
XLSX_SHARED_STRING = Internal("XlsxWriter", "xlsxwriter.sharedstrings", "SharedStringTable._get_shared_string_index",
                              "XlsxWriter 3.3.1", "text shared through the workbook's string table", EXPORT)
XLSX_STYLE_INDEX = Internal("XlsxWriter", "xlsxwriter.format", "Format._get_xf_index", "XlsxWriter 3.3.1",
                            "a format's style number in rows written as XML", EXPORT)

INTERNALS = (VOILA_RENDERER_EXPORTER, VOILA_STATIC_ROOTS, VOILA_POOLS, PROXY_HEADER_FILTER, ZMQ_SHARED_CONTEXT,
             EXIT_HANDLERS, XLSX_ROW_WRITER, XLSX_EXTENT, XLSX_DATE_SERIAL, XLSX_SHARED_STRING, XLSX_STYLE_INDEX)


def check(needed_by: Iterable[str] = (*SERVE_NEEDS, HUB)) -> list[str]:
    """What is missing from the libraries installed among the internals ``needed_by`` these
    uses, one plain sentence each (empty: all found)."""
    wanted = set(needed_by)
    missing = []
    for internal in INTERNALS:
        if internal.needed_by in wanted:
            try:
                internal.resolve()
            except LibraryChanged as error:
                missing.append(error.reason)
    return missing


def require(needed_by: str, template: str) -> None:
    """Raise LibraryChanged, its message ``template`` filled with what is missing, unless every
    internal ``needed_by`` uses is there."""
    for internal in INTERNALS:
        if internal.needed_by == needed_by:
            try:
                internal.resolve()
            except LibraryChanged as error:
                raise LibraryChanged(error.library, error.name, messages.say(template, missing=error.reason)) from None


# --------------------------------------------------------------------------- the page server


def compile_templates_once() -> jinja2.BytecodeCache:
    """Give every Voila exporter of this process one shared bytecode cache; the cache."""
    import jinja2

    module = importlib.import_module(VOILA_RENDERER_EXPORTER.module)
    base = VOILA_RENDERER_EXPORTER.resolve()
    found = getattr(base, "mentorforms_cache", None)
    if found is not None:
        return found

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        """Compiled templates kept in memory, keyed by template name and file (Jinja checks the
        source's checksum before using one, so an edited template is compiled again)."""

        def __init__(self) -> None:
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code = self.code.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self.code[bucket.key] = bucket.bytecode_to_string()

    cache = MemoryBytecodeCache()

    class CompiledOnceExporter(base):  # type: ignore[misc, valid-type]
        mentorforms_cache = cache

        @property
        def environment(self) -> jinja2.Environment:
            environment = super().environment
            environment.bytecode_cache = cache
            return environment

    setattr(module, VOILA_RENDERER_EXPORTER.name, CompiledOnceExporter)
    return cache


def voila_pools(kernel_manager: Any) -> Mapping[str, list[Any]]:
    """Voila's pools of ready kernels by notebook (each item an asyncio task or a started kernel's
    record); empty when the manager keeps no pools (``--no-preheat``). LibraryChanged when a
    pooling manager keeps them elsewhere."""
    if not hasattr(kernel_manager, "fill_if_needed"):  # Voila's manager without pools
        return {}
    try:
        return kernel_manager._pools
    except AttributeError as error:
        raise VOILA_POOLS.missing(str(error)) from None


def proxy_header_filter(handler_class: Any) -> Callable[..., Any]:
    """jhsingle-native-proxy's method that filters a forwarded request's headers and query."""
    try:
        return handler_class._filter_headers_and_query
    except AttributeError as error:
        raise PROXY_HEADER_FILTER.missing(str(error)) from None


def replace_proxy_header_filter(handler_class: Any, method: Callable[..., Any]) -> None:
    """Make ``method`` the proxy handler's filter of forwarded headers (see :func:`proxy_header_filter`)."""
    proxy_header_filter(handler_class)
    handler_class._filter_headers_and_query = method


# --------------------------------------------------------------------------- forked page kernels


def zmq_context_exists(zmq: Any) -> bool:
    """Whether pyzmq's shared context (``zmq.Context.instance()``) exists in this process."""
    return getattr(zmq.Context, "_instance", None) is not None


def run_exit_handlers() -> None:
    """Run the handlers registered with :mod:`atexit` now (a process about to ``os._exit``)."""
    import atexit

    atexit._run_exitfuncs()


# --------------------------------------------------------------------------- the export's rows


def xlsx_route_row_writer(worksheet_class: Any, write: Callable[[Any], None]) -> None:
    """Make XlsxWriter call ``write(sheet)`` where it writes a ``worksheet_class`` sheet's rows
    (XlsxWriter's own writer stays callable with :func:`xlsx_write_rows`)."""
    XLSX_ROW_WRITER.resolve()
    worksheet_class._write_rows = write


def xlsx_write_rows(sheet: Any) -> None:
    """XlsxWriter's own writer of the rows ``dim_rowmin..dim_rowmax`` of ``sheet``."""
    from xlsxwriter.worksheet import Worksheet

    Worksheet._write_rows(sheet)


def xlsx_extend(sheet: Any, row: int, col: int) -> None:
    """Count cell (row, col), 0-based, in the sheet's extent (its dimension and row range)."""
    sheet._check_dimensions(row, col)


def xlsx_date_serial(sheet: Any, value: Any) -> float:
    """A date, datetime or time as the Excel serial number XlsxWriter writes for it on ``sheet``."""
    return sheet._convert_date_time(value)


def xlsx_string_indexer(sheet: Any) -> Callable[[str], int]:
    """The function giving a text's index in the workbook's shared strings (adding it if new)."""
    return sheet.str_table._get_shared_string_index


def xlsx_style_index(cell_format: Any) -> int:
    """A format's style number (assigned now if new, as XlsxWriter's constant-memory mode does)."""
    return cell_format._get_xf_index()
