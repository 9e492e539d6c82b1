"""The journey health findings drawn the same way wherever a page shows them (overview, editor):
grouped by rule, each with its level, message and fix; user text escaped."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cjm.health import Finding, by_rule, rule_title
from cjm.i18n import t
from cjm.text import md_escape

_SHOW = {"error": st.error, "warning": st.warning}
_ICON = {"error": ":material/error:", "warning": ":material/warning:"}


def show_findings(findings: Sequence[Finding], lang: str, *, boxes: bool = True) -> None:
    """Each rule's title, then its findings with the fix in italics: as error, warning or info boxes,
    or (``boxes=False``, for a page whose alerts mean something else, like the editor's conflicts) as
    a plain list marked with the level's icon."""
    for rule, group in by_rule(findings).items():
        st.markdown(f"**{md_escape(rule_title(rule, lang))}**")
        for f in group:
            text = f"{md_escape(f.message)}  \n*{md_escape(t('health.fix', lang))}: {md_escape(f.hint)}*"
            icon = _ICON.get(f.level, ":material/info:")
            if boxes:
                _SHOW.get(f.level, st.info)(text, icon=icon)
            else:
                st.markdown(f"- {icon} {text}")
