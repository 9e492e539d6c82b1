"""The command line: ``python -m cjm list | validate | import | export | db | check | audit | flow |
summary | funnel``.

Every command prints plain text (or the chosen format) and exits 0 on success, 1 when the input is
invalid, a check fails or the command cannot run, 2 on a usage error. This module imports only what
every command needs; the commands defined elsewhere (and their heavy libraries) are imported when
they run, so ``python -m cjm list`` starts quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from cjm.errors import CJMError, FileFormatError, ValidationError

__all__ = ["main", "build_parser"]

#: Subcommands defined in other modules: name → (module, the function of it that adds the subparser,
#: one-line help). A module is imported only when its command runs; when that import fails, the command
#: is an error naming the import error, not a missing choice.
_LAZY: dict[str, tuple[str, str, str]] = {
    "check": ("cjm.health", "register", "run the journey health checks on maps"),
    "audit": ("cjm.cli_reports", "register_audit", "the touchpoint audit: progress, ranking, priorities, tasks"),
    "flow": ("cjm.cli_reports", "register_flow", "the journey as a graph: paths, bottlenecks, dead ends, loops"),
    "summary": ("cjm.cli_reports", "register_summary", "the one-page executive summary of a map or a portfolio"),
    "funnel": ("cjm.funnel.cli", "register", "count people through funnel steps of a file"),
}
#: ``export`` formats: the map's own file formats, then the journey-map figure's (see cjm.cli_reports).
_TABLE_FORMATS = ("json", "csv", "xlsx")
_FIGURE_FORMATS = ("html", "mermaid", "mermaid-flowchart", "png", "svg", "pdf")


class CommandUnavailable(CJMError):  # noqa: N818 - named for what the user meets
    """A subcommand whose module cannot be imported here (a dependency is missing or broken)."""


def _cmd_list(args: argparse.Namespace) -> int:
    from cjm.store import get_store

    maps = get_store(args.database).list_maps()
    if not maps:
        print("no maps")
        return 0
    width = max(len(m.map_id) for m in maps)
    for m in maps:
        print(f"{m.map_id:<{width}}  v{m.version:<3} {m.map_type:<17} {m.touchpoints:>4} tp  {m.title}")
    return 0


def _read(path: str):
    from cjm.io.tables import read_map_file

    p = Path(path)
    if not p.is_file():
        raise FileFormatError("no such file", "no_such_file", source=path)
    return read_map_file(p.read_bytes(), filename=p.name)


def _cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            G = _read(path)
        except ValidationError as exc:
            failed += 1
            print(f"{path}: INVALID, {len(exc.problems)} problem(s)")
            for problem in exc.problems:
                print(f"  - {problem}")
        except CJMError as exc:
            failed += 1
            print(f"{path}: INVALID: {exc}")
        else:
            print(f"{path}: ok ({G.number_of_nodes()} touchpoints, {G.number_of_edges()} transitions)")
    return 1 if failed else 0


def _cmd_import(args: argparse.Namespace) -> int:
    from cjm import services
    from cjm.store import get_store

    G = _read(args.file)
    if args.title:
        G.graph["title"] = args.title
    actor = services.Actor(args.author)
    result = services.import_map(get_store(args.database), actor, G, source=Path(args.file).name)
    print(f"imported {args.file} as {result.map_id} ({G.number_of_nodes()} touchpoints)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from cjm.io.tables import export_map
    from cjm.store import get_store

    stored = get_store(args.database).load(args.map, args.version)
    if args.format in _FIGURE_FORMATS:
        from cjm.cli_reports import run_figure_export

        return run_figure_export(stored.graph, args)
    data, _mime, ext = export_map(stored.graph, args.format, lang=args.lang)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        out = Path(args.output or f"{args.map}.{ext}")
        out.write_bytes(data)
        print(f"wrote {out} (version {stored.version})")
    return 0


def _cmd_db(args) -> int:
    from cjm.store import Store, database_url

    store = Store(args.database or database_url(), upgrade=False)
    try:
        where = store.engine.url.render_as_string(hide_password=True)
        if args.action == "upgrade":
            before, after = store.upgrade()
            if before == after:
                print(f"{where}: schema is up to date ({after})")
            else:
                was = {None: "an empty database", "legacy": "0001_first_release (made before migrations)"}
                print(f"{where}: schema upgraded from {was.get(before, before)} to {after}")
            return 0
        status = store.schema_status()
        current = {None: "empty, no tables yet", "legacy": "made before migrations (0001_first_release)"}.get(
            status.current, f"schema {status.current}"
        )
        print(f"{where}: {current}; this cjm's schema: {status.head}")
        if not status.up_to_date:
            print("run `python -m cjm db upgrade` (the app upgrades on start too)")
        return 0
    finally:
        store.close()


def build_parser(load: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand. The commands of :data:`_LAZY` are listed by name and
    help only, except ``load``, whose module is imported to add its arguments (raises
    :class:`CommandUnavailable` when that import fails)."""
    parser = argparse.ArgumentParser(prog="python -m cjm", description="Customer journey maps from the command line.")
    parser.add_argument("--database", help="SQLAlchemy URL (default: $CJM_DATABASE_URL or SQLite in $CJM_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("list", help="list the stored maps")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("validate", help="validate map files (JSON, CSV, XLSX); exit 1 if any is invalid")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("import", help="import a map file into the store")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--title", help="title for the imported map")
    p.add_argument("--author", default="cli")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser(
        "export",
        help="export a stored map: its file (JSON, CSV, XLSX) or its drawing (HTML, Mermaid, PNG, SVG, PDF)",
    )
    p.add_argument("map", metavar="MAP", help="map id (see `list`)")
    p.add_argument(
        "--format",
        choices=_TABLE_FORMATS + _FIGURE_FORMATS,
        default="json",
        help="json/csv/xlsx: the map's data; html/png/svg/pdf: the journey map drawn by its type, as on "
        "the Journey map page; mermaid: a Mermaid journey diagram; mermaid-flowchart: a Mermaid flowchart",
    )
    p.add_argument("--version", type=int, help="a former version (default: the latest)")
    p.add_argument("--lang", choices=("en", "ru"), default="en", help="language of headers and labels")
    p.add_argument("--lanes", help="the drawing's lanes, comma-separated (default: every lane of the map's type)")
    p.add_argument("-o", "--output", help="output file, or - for stdout (default: MAP.<format>)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("db", help="the database's schema: `db status` shows its revision, `db upgrade` upgrades it")
    p.add_argument("action", choices=("status", "upgrade"))
    p.set_defaults(func=_cmd_db)

    for name, (module_name, function, help_text) in _LAZY.items():
        if name != load:
            sub.add_parser(name, help=help_text, description=help_text)
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise CommandUnavailable(
                f"the '{name}' command cannot run here: importing {module_name} failed ({type(exc).__name__}: {exc})"
            ) from exc
        getattr(module, function)(sub)
    return parser


def _command(argv: list[str]) -> str | None:
    """The subcommand named in ``argv`` (after the global options), or ``None``."""
    rest = iter(argv)
    for token in rest:
        if token == "--database":
            next(rest, None)
        elif not token.startswith("-"):
            return token
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser(load=_command(argv))
    except CommandUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args = parser.parse_args(argv)
    if getattr(args, "database", None) is None:
        args.database = None
    try:
        return int(args.func(args) or 0)
    except ValidationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except CJMError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
