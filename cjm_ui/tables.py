"""The data-editor protocol, in one place: editable tables whose every committed edit is saved at once.

``st.data_editor`` reports what the user changed as its widget state
``{"edited_rows": {row: {column: value}}, "added_rows": [{column: value}], "deleted_rows": [row]}``,
with row *numbers* of the frame as it was drawn. This module is the only code that reads that
format: :func:`row_edits` turns it into :class:`cjm.editing.RowEdits` keyed by row *id* (a
touchpoint id, a ``(source, target)`` pair, a stage id), which is what the core works with.

:class:`LiveTables` implements the recipe of docs/live-editing.md ("The data-editor recipe") for a
page: each table's widget key carries what the table was built from (map, version) and a counter;
a committed edit reaches the ``on_change`` callback, is handed to the page's handler (which saves it
through :mod:`cjm.services`) together with what the table was built from, and the counter is
bumped so the table is rebuilt from the saved map. An edit that arrives without the callback
(AppTest writes the widget state directly) is handled right after the table is drawn, once; an edit
left in a table that was rebuilt meanwhile (someone else saved) is handled on the next run, against
the version it was made on. No edit is applied twice or silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from cjm.editing import RowEdits
from cjm.errors import CJMError, Place, Problem, ValidationError

__all__ = ["row_edits", "state_is_empty", "LiveTables", "redraw_pending"]

#: Session-state flag: an edit was handled in a fragment's run, which does not draw the tables.
_REDRAW = "tables.redraw"

#: How many drawn tables a page remembers: only the last few can still hold an unhandled edit.
REMEMBERED = 12


def state_is_empty(state: Mapping[str, Any] | None) -> bool:
    """True when a data editor's state holds no edited, added or deleted rows."""
    if not state:
        return True
    return not (state.get("edited_rows") or state.get("added_rows") or state.get("deleted_rows"))


def row_edits(state: Mapping[str, Any] | None, row_ids: Sequence[Hashable], *, what: str | None = None) -> RowEdits:
    """A data editor's state as edits keyed by row id: row ``i`` of the drawn frame is ``row_ids[i]``.

    A row number outside the frame (the table changed meanwhile) is a ``ValidationError`` naming the
    row (of the ``what`` table: ``touchpoint``, ``transition`` or ``stage``; any table when ``None``),
    never an edit silently dropped or applied to another row.

    >>> row_edits({"edited_rows": {"1": {"score": 4}}, "added_rows": [{"name": "Chat"}], "deleted_rows": [0]},
    ...           ["tp-1", "tp-2"])
    RowEdits(changed={'tp-2': {'score': 4}}, added=[{'name': 'Chat'}], deleted=['tp-1'])
    """
    state = state or {}
    ids = list(row_ids)
    problems: list[Problem] = []

    def row_id(row: Any) -> Hashable | None:
        n = int(row)
        if 0 <= n < len(ids):
            return ids[n]
        place = Place(f"{what}_table_row" if what else "row", {"n": n + 1})
        problems.append(Problem(place, None, "no such row (the table changed meanwhile)", "no_such_row"))
        return None

    changed: dict[Hashable, dict[str, Any]] = {}
    for row, values in sorted(((int(k), v) for k, v in (state.get("edited_rows") or {}).items())):
        rid = row_id(row)
        if rid is not None:
            changed.setdefault(rid, {}).update(dict(values or {}))
    added = [dict(r or {}) for r in state.get("added_rows") or []]
    deleted = [
        rid for rid in (row_id(r) for r in sorted({int(r) for r in state.get("deleted_rows") or []})) if rid is not None
    ]
    if problems:
        raise ValidationError(problems)
    return RowEdits(changed, added, deleted)


def _in_fragment_run() -> bool:
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def redraw_pending() -> bool:
    """True (once) when a table edit was handled in a fragment's run: the page must then run whole, so
    the refused edit's reason, or the table rebuilt from the saved version, is drawn.

    The browser can deliver a committed cell with the rerun of a fragment (e.g. the live-follow check,
    several times a second): Streamlit runs the table's ``on_change`` callback in that run, which draws
    only the fragment. A fragment calls this and ``st.rerun()`` when it is true (:func:`cjm_ui.live.follow`
    does); without it the reason of a refused edit was never shown, and the grid kept the refused value
    as though it had been saved."""
    return bool(st.session_state.pop(_REDRAW, False))


def _signature(state: Any) -> str:
    return json.dumps(state, sort_keys=True, default=str)


class LiveTables:
    """The editable tables of one page (session-state keys ``"<page>.tables.*"``).

    ``handler(table, edits, built_from)`` saves the edits of ``table`` made on the data the table
    was ``built_from`` (whatever the page passed to :meth:`show`, e.g. ``(map_id, version)``) and
    returns whether a new version was stored. A ``CJMError`` it raises is shown above the table
    (through ``describe(exc) -> str``) with a button to discard the edit; nothing is saved.
    """

    def __init__(
        self,
        page: str,
        handler: Callable[[str, RowEdits, Any], bool],
        describe: Callable[[CJMError], str],
        discard_label: str,
    ):
        self.page = page
        self.handler = handler
        self.describe = describe
        self.discard_label = discard_label
        ss = st.session_state
        ss.setdefault(self._k("nonce"), 0)
        ss.setdefault(self._k("registry"), {})  # widget key -> (table, built_from, row ids, what)
        ss.setdefault(self._k("seen"), {})  # widget key -> signature of the state already handled
        ss.setdefault(self._k("errors"), {})  # table -> message about its last refused edit
        ss.setdefault(self._k("keys"), {})  # table -> the widget key drawn last (tests find editors by it)

    def _k(self, name: str) -> str:
        return f"{self.page}.tables.{name}"

    @property
    def nonce(self) -> int:
        """The counter in every widget key; bumping it rebuilds every table of the page."""
        return st.session_state[self._k("nonce")]

    def rebuild(self) -> None:
        """Draw every table afresh on the next run (after a save, or to drop an unsaved edit)."""
        st.session_state[self._k("nonce")] += 1

    def key(self, table: str, *parts: Any) -> str:
        """The widget key of ``table`` built from ``parts`` (e.g. map id and version)."""
        return ".".join([self.page, table, *(str(p) for p in parts), str(self.nonce)])

    def error(self, table: str) -> str | None:
        return st.session_state[self._k("errors")].get(table)

    def discard(self, table: str) -> None:
        st.session_state[self._k("errors")].pop(table, None)
        self.rebuild()

    def _handle(self, key: str) -> None:
        """Hand the edit in widget ``key`` to the handler once."""
        ss = st.session_state
        entry = ss[self._k("registry")].get(key)
        state = ss.get(key)
        if entry is None or state_is_empty(state):
            return
        signature = _signature(state)
        if ss[self._k("seen")].get(key) == signature:
            return  # handled already (by the callback, or an unchanged refused edit)
        ss[self._k("seen")][key] = signature
        if _in_fragment_run():
            ss[_REDRAW] = True  # this run draws no table: the fragment asks for a whole run
        table, built_from, ids, what = entry
        try:
            saved = self.handler(table, row_edits(state, ids, what=what), built_from)
        except CJMError as exc:
            ss[self._k("errors")][table] = self.describe(exc)
            return
        ss[self._k("errors")].pop(table, None)
        if saved:
            self.rebuild()

    def handle_pending(self) -> None:
        """Handle edits left in tables drawn on an earlier run (call before drawing the page);
        reruns the script when one was saved."""
        before = self.nonce
        for key in list(st.session_state[self._k("registry")]):
            if key in st.session_state:
                self._handle(key)
        if self.nonce != before:
            st.rerun()

    def show(
        self,
        table: str,
        frame: pd.DataFrame,
        *,
        key: str,
        row_ids: Sequence[Hashable],
        built_from: Any,
        what: str | None = None,
        **editor_kwargs: Any,
    ) -> None:
        """Draw ``frame`` as an editable table; ``row_ids[i]`` is the id of row ``i``; ``what`` the
        kind of row (``touchpoint``, ``transition``, ``stage``) named in "no such row" problems;
        ``editor_kwargs`` go to ``st.data_editor``.

        A key that stays the same while the data changes (``num_rows="fixed"`` keeps the widget, and a
        cell being typed, alive across value changes) keeps the ``built_from`` of its first drawing:
        an edit is then merged against the data the table was built from, so a change saved by
        someone else meanwhile is kept, or reported as a conflict when it hit the same cell."""
        ss = st.session_state
        ss[self._k("keys")][table] = key
        registry = ss[self._k("registry")]
        ids = list(row_ids)
        if key in registry and registry[key][2] == ids:
            # The same widget drawn again (its key does not name a version): the edits it holds were
            # made on the data it was first drawn from, so that stays what they are merged against.
            built_from = registry.pop(key)[1]
        registry[key] = (table, built_from, ids, what)
        for old in list(registry)[:-REMEMBERED]:
            registry.pop(old, None)
            ss[self._k("seen")].pop(old, None)
        slot = st.container()  # the reason of a refused edit goes right above its table
        editor_kwargs.setdefault("hide_index", True)
        editor_kwargs.setdefault("width", "stretch")
        st.data_editor(frame, key=key, on_change=self._handle, args=(key,), **editor_kwargs)
        if not state_is_empty(ss.get(key)):  # no callback (AppTest): handle the edit here, once
            before = self.nonce
            self._handle(key)
            if self.nonce != before:
                st.rerun()
        message = self.error(table)
        if message:
            with slot:
                st.error(message, icon=":material/error:")
                st.button(
                    self.discard_label,
                    key=f"{self.page}.discard.{table}.{self.nonce}",
                    on_click=self.discard,
                    args=(table,),
                )
