"""The catalogue of typical touchpoints: what a map of this kind usually has, so an audit can ask
"which of these are we missing?".

Three groups, restated from the domain notes: touchpoints typical of each phase (before purchase,
purchase, after purchase), examples of the seven categories of touchpoints, and the twelve website
touchpoints of an online shop. Each entry suggests a template stage, a channel and a category.
Entry names live in the i18n catalogues (``catalogue.tp.<key>``), so they read in either language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import networkx as nx

from cjm import model, schema
from cjm.i18n import LANGUAGES, t

__all__ = [
    "GROUPS",
    "ADDABLE_STATUSES",
    "CatalogueEntry",
    "catalogue",
    "catalogue_entry",
    "catalogue_node_id",
    "covered_keys",
    "missing_from_catalogue",
    "add_from_catalogue",
]

#: The three groups of the catalogue, in the order a page lists them.
GROUPS = ("phase", "category", "website")

#: Statuses a touchpoint taken from the catalogue may get (it is not on the journey yet, or is
#: already used but was not mapped).
ADDABLE_STATUSES = ("missing", "planned", "existing")


@dataclass(frozen=True)
class CatalogueEntry:
    """One typical touchpoint.

    ``key`` is stable across releases and languages; ``name`` is in the language asked for,
    ``name_en``/``name_ru`` in both. ``stage`` is a stage id of the nine-stage template, ``phase``
    its phase; ``group`` says which list of the domain notes the entry comes from.
    """

    key: str
    name: str
    name_en: str
    name_ru: str
    group: str
    phase: str
    stage: str
    channel: str
    category: str


# key, group, stage (nine-stage template), channel, category. Names: i18n "catalogue.tp.<key>".
_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    # Typical touchpoints before purchase.
    ("social_media_marketing", "phase", "awareness", "social", "communications"),
    ("display_ads", "phase", "awareness", "other", "materials"),
    ("word_of_mouth_referrals", "phase", "consideration", "word_of_mouth", "communications"),
    ("reviews_read", "phase", "consideration", "website", "communications"),
    ("user_generated_content", "phase", "interest", "social", "communications"),
    ("paid_media", "phase", "awareness", "other", "materials"),
    ("content_sponsorship", "phase", "interest", "other", "communications"),
    ("out_of_home_ads", "phase", "awareness", "print", "materials"),
    # Purchase.
    ("chat", "phase", "purchase", "messenger", "technology"),
    ("sales_team", "phase", "purchase", "phone", "staff"),
    ("customer_service_team", "phase", "purchase", "phone", "staff"),
    ("physical_locations", "phase", "purchase", "office", "offices"),
    ("events", "phase", "purchase", "event", "communications"),
    # After purchase.
    ("satisfaction_survey", "phase", "post_purchase", "email", "communications"),
    ("referral_email", "phase", "advocacy", "email", "communications"),
    ("review_written", "phase", "advocacy", "website", "communications"),
    ("email_marketing", "phase", "retention", "email", "communications"),
    ("customer_service_points", "phase", "post_purchase", "office", "offices"),
    ("loyalty_programme", "phase", "loyalty", "other", "business_processes"),
    ("billing", "phase", "post_purchase", "email", "business_processes"),
    ("feature_research", "phase", "retention", "email", "communications"),
    # The seven categories, with their examples.
    ("price", "category", "consideration", "website", "product"),
    ("product_quality", "category", "post_purchase", "other", "product"),
    ("packaging", "category", "post_purchase", "courier", "product"),
    ("product_design", "category", "consideration", "other", "product"),
    ("first_phone_call", "category", "intent", "phone", "technology"),
    ("answering_machine", "category", "intent", "phone", "technology"),
    ("company_website", "category", "consideration", "website", "technology"),
    ("social_page", "category", "interest", "social", "technology"),
    ("messenger", "category", "intent", "messenger", "technology"),
    ("staff_manner", "category", "purchase", "office", "staff"),
    ("store_consultant", "category", "purchase", "office", "staff"),
    ("complaint_answer", "category", "post_purchase", "phone", "staff"),
    ("advertising_materials", "category", "awareness", "print", "materials"),
    ("commercial_offer", "category", "intent", "email", "materials"),
    ("accounting_documents", "category", "purchase", "email", "materials"),
    ("order_processing", "category", "purchase", "other", "business_processes"),
    ("returns", "category", "post_purchase", "office", "business_processes"),
    ("roadside_banner", "category", "awareness", "print", "communications"),
    ("social_media_answer", "category", "consideration", "social", "communications"),
    ("email_signature", "category", "intent", "email", "communications"),
    ("office_location", "category", "purchase", "office", "offices"),
    ("meeting_rooms", "category", "purchase", "office", "offices"),
    ("visitor_drinks", "category", "purchase", "office", "offices"),
    ("signage", "category", "purchase", "office", "offices"),
    ("interior", "category", "purchase", "office", "offices"),
    # The twelve website touchpoints of an online shop.
    ("web_feedback_form", "website", "intent", "website", "technology"),
    ("web_online_consultant", "website", "consideration", "website", "technology"),
    ("web_contacts", "website", "intent", "website", "technology"),
    ("web_share_button", "website", "advocacy", "website", "technology"),
    ("web_question_form", "website", "consideration", "website", "technology"),
    ("web_subscription", "website", "interest", "website", "communications"),
    ("web_payment_form", "website", "purchase", "website", "technology"),
    ("web_price_request", "website", "intent", "website", "technology"),
    ("web_reviews", "website", "consideration", "website", "communications"),
    ("web_qr_code", "website", "awareness", "print", "technology"),
    ("web_delivery_notifications", "website", "post_purchase", "email", "communications"),
    ("web_courier_delivery", "website", "post_purchase", "courier", "business_processes"),
)

_PHASE_OF_STAGE = {sid: phase for sid, _, phase in schema.DEFAULT_STAGES}


def _entries(lang: str) -> list[CatalogueEntry]:
    out = []
    for key, group, stage, channel, category in _ROWS:
        name_key = f"catalogue.tp.{key}"
        out.append(
            CatalogueEntry(
                key=key,
                name=t(name_key, lang),
                name_en=t(name_key, "en"),
                name_ru=t(name_key, "ru"),
                group=group,
                phase=_PHASE_OF_STAGE[stage],
                stage=stage,
                channel=channel,
                category=category,
            )
        )
    return out


def catalogue(lang: str = "en") -> list[CatalogueEntry]:
    """Every typical touchpoint, grouped (phase, category, website) and in journey order within a group.

    >>> entries = catalogue("en")
    >>> len([e for e in entries if e.group == "website"])
    12
    >>> next(e for e in entries if e.key == "chat").phase
    'purchase'
    """
    order = {sid: i for i, (sid, _, _) in enumerate(schema.DEFAULT_STAGES)}
    entries = _entries(lang if lang in LANGUAGES else "en")
    return sorted(entries, key=lambda e: (GROUPS.index(e.group), order[e.stage]))


def catalogue_entry(key: str, lang: str = "en") -> CatalogueEntry:
    """The entry with ``key``; ``KeyError`` naming the key when there is none."""
    for entry in _entries(lang if lang in LANGUAGES else "en"):
        if entry.key == key:
            return entry
    raise KeyError(f"no touchpoint {key!r} in the catalogue")


def catalogue_node_id(key: str) -> str:
    """The touchpoint id :func:`add_from_catalogue` prefers for an entry (``cat-<key>``)."""
    return f"cat-{key}"


def _norm(text: object) -> str:
    """Lower case, ``ё``→``е``, punctuation and quotes dropped, spaces collapsed."""
    s = str(text or "").lower().replace("ё", "е")
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


def covered_keys(G: nx.DiGraph) -> set[str]:
    """Catalogue keys already on the map: a touchpoint carries the entry's id (``cat-<key>`` or the
    key itself), or its name equals the entry's name in either language (case, punctuation and
    ``ё`` ignored). Names shared by several entries count only for the entry of the touchpoint's phase.
    """
    entries = _entries("en")
    by_name: dict[str, list[CatalogueEntry]] = {}
    for e in entries:
        for n in {_norm(e.name_en), _norm(e.name_ru)}:
            by_name.setdefault(n, []).append(e)
    keys = {e.key for e in entries}
    phase_of = {s["id"]: s["phase"] for s in model.stages(G)}
    found: set[str] = set()
    for node, d in G.nodes(data=True):
        node_id = str(node)
        if node_id in keys:
            found.add(node_id)
        if node_id.startswith("cat-") and node_id[4:] in keys:
            found.add(node_id[4:])
        candidates = by_name.get(_norm(d.get("name")), [])
        if len(candidates) == 1:
            found.add(candidates[0].key)
        elif candidates:
            phase = phase_of.get(d.get("stage"))
            found.update(e.key for e in candidates if e.phase == phase)
    return found


def missing_from_catalogue(G: nx.DiGraph, lang: str = "en") -> list[CatalogueEntry]:
    """The typical touchpoints not on the map yet (see :func:`covered_keys`), in catalogue order.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo")
    >>> _ = add_touchpoint(G, "Chat", "purchase")
    >>> "chat" in [e.key for e in missing_from_catalogue(G)]
    False
    """
    covered = covered_keys(G)
    return [e for e in catalogue(lang) if e.key not in covered]


def _stage_for(G: nx.DiGraph, entry: CatalogueEntry) -> str:
    """The entry's template stage when the map has it, else the map's first stage of the same
    phase, else the map's first stage."""
    stage_list = model.stages(G)
    if not stage_list:
        raise ValueError("the map has no stages")
    ids = [s["id"] for s in stage_list]
    if entry.stage in ids:
        return entry.stage
    for s in stage_list:
        if s.get("phase") == entry.phase:
            return s["id"]
    return ids[0]


def add_from_catalogue(
    G: nx.DiGraph,
    key: str,
    *,
    stage: str | None = None,
    status: str = "missing",
    lang: str = "en",
) -> str:
    """Add the catalogue touchpoint ``key`` to ``G`` (in place) and return its id.

    It goes at the end of ``stage`` (default: the entry's suggested stage if the map has it, else the
    first stage of the same phase), named in ``lang``, with the entry's channel and category and the
    given ``status`` (``missing`` — customers need it and we are absent; ``planned``; or ``existing``
    — used but not mapped yet). Its id is ``cat-<key>`` when that is free.

    >>> from cjm.model import new_map
    >>> G = new_map("demo")
    >>> add_from_catalogue(G, "chat", status="planned")
    'cat-chat'
    >>> G.nodes["cat-chat"]["stage"], G.nodes["cat-chat"]["status"], G.nodes["cat-chat"]["channel"]
    ('purchase', 'planned', 'messenger')
    """
    if status not in ADDABLE_STATUSES:
        raise ValueError(f"status {status!r} is not one of: {', '.join(ADDABLE_STATUSES)}")
    entry = catalogue_entry(key, lang)
    stage_ids = [s["id"] for s in model.stages(G)]
    if stage is None:
        stage = _stage_for(G, entry)
    elif stage not in stage_ids:
        raise ValueError(f"unknown stage {stage!r}; stages: {', '.join(stage_ids)}")
    orders = [d.get("order") for _, d in G.nodes(data=True) if d.get("stage") == stage and d.get("order") is not None]
    order = float(max(orders) + 1.0) if orders else 1.0
    tp_id = catalogue_node_id(key)
    if tp_id in G:
        tp_id = model.new_touchpoint_id(G)
    return model.add_touchpoint(
        G,
        entry.name,
        stage,
        id=tp_id,
        order=order,
        channel=entry.channel,
        category=entry.category,
        status=status,
        company_present=status == "existing",
    )
