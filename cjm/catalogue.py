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
    "MATCH_AT_LEAST",
    "name_similarity",
    "CatalogueMatch",
    "catalogue_matches",
    "confirm_match",
    "reject_match",
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


#: Words too common to tell catalogue entries apart (both languages).
_STOP = frozenset({"the", "and", "for", "with", "from", "our", "для", "при", "или", "как", "все"})

#: How similar a touchpoint's name must be to an entry's to count as that entry (0 … 1).
MATCH_AT_LEAST = 0.6


def _stems(text: object) -> set[str]:
    """Normalised words of a name cut to their first five letters (a crude stem that also works for
    Russian endings: «подписки», «подписка» → «подпи»); short and stop words dropped."""
    return {w[:5] for w in _norm(text).split() if len(w) >= 3 and w not in _STOP and not w.isdigit()}


def _weights() -> dict[str, float]:
    """Each stem's weight: rarer across the catalogue's names (both languages) weighs more."""
    import math

    entries = _entries("en")
    counts: dict[str, int] = {}
    for e in entries:
        for stem in _stems(e.name_en) | _stems(e.name_ru):
            counts[stem] = counts.get(stem, 0) + 1
    return {stem: math.log(1 + len(entries) / c) for stem, c in counts.items()}


def name_similarity(name: object, entry: CatalogueEntry) -> float:
    """How much of the entry's name (in either language) the touchpoint's name covers, 0 … 1: the
    weighted share of the entry's stems found in the name (rare words weigh more, so «Форма оплаты»
    does not match «Форма обратной связи» on «форма» alone).

    >>> name_similarity("Форма вопроса о товаре", catalogue_entry("web_question_form"))
    1.0
    >>> name_similarity("Форма оплаты", catalogue_entry("web_feedback_form")) < MATCH_AT_LEAST
    True
    """
    weights = _weights()
    have = _stems(name)
    best = 0.0
    for entry_name in (entry.name_en, entry.name_ru):
        want = _stems(entry_name)
        total = sum(weights.get(w, 1.0) for w in want)
        if total:
            best = max(best, sum(weights.get(w, 1.0) for w in want & have) / total)
    return round(best, 3)


def _rejected(d: dict) -> set[str]:
    return {k.strip() for k in str(d.get("catalogue_rejected") or "").split(",") if k.strip()}


@dataclass(frozen=True)
class CatalogueMatch:
    """A touchpoint counted as a catalogue entry: ``how`` is ``id`` (added from the catalogue or
    confirmed: its ``catalogue_id``, or a ``cat-<key>`` id), ``name`` (same name) or ``similar``
    (name similarity ``score``, to be confirmed or rejected by a facilitator)."""

    key: str
    touchpoint: str
    how: str
    score: float = 1.0


def catalogue_matches(G: nx.DiGraph) -> list[CatalogueMatch]:
    """Every catalogue entry the map covers and the touchpoint that covers it (the best one).

    A touchpoint's ``catalogue_id`` (or a ``cat-<key>``/``<key>`` id) is a confirmed match; else its
    name equal to the entry's in either language (case, punctuation and ``ё`` ignored; a name shared
    by several entries counts for the entry of the touchpoint's phase); else a name similar enough
    (:func:`name_similarity` ≥ :data:`MATCH_AT_LEAST`). A match a facilitator rejected
    (``catalogue_rejected``) never counts; a touchpoint with a confirmed id is matched only by it.
    """
    entries = _entries("en")
    keys = {e.key for e in entries}
    phase_of = {s["id"]: s["phase"] for s in model.stages(G)}
    best: dict[str, CatalogueMatch] = {}
    rank = {"id": 3, "name": 2, "similar": 1}

    def offer(m: CatalogueMatch) -> None:
        old = best.get(m.key)
        if old is None or (rank[m.how], m.score) > (rank[old.how], old.score):
            best[m.key] = m

    for node, d in G.nodes(data=True):
        node_id = str(node)
        confirmed = str(d.get("catalogue_id") or "").strip()
        for key in (confirmed, node_id, node_id[4:] if node_id.startswith("cat-") else ""):
            if key in keys:
                offer(CatalogueMatch(key, node_id, "id"))
        if confirmed:
            continue
        rejected = _rejected(d)
        name = _norm(d.get("name"))
        same = [e for e in entries if name in (_norm(e.name_en), _norm(e.name_ru)) and e.key not in rejected]
        if len(same) > 1:
            same = [e for e in same if e.phase == phase_of.get(d.get("stage"))]
        for e in same:
            offer(CatalogueMatch(e.key, node_id, "name"))
        if same:
            continue
        for e in entries:
            if e.key in rejected:
                continue
            score = name_similarity(d.get("name"), e)
            if score >= MATCH_AT_LEAST:
                offer(CatalogueMatch(e.key, node_id, "similar", score))
    return [best[e.key] for e in entries if e.key in best]


def covered_keys(G: nx.DiGraph) -> set[str]:
    """Catalogue keys already on the map (:func:`catalogue_matches`)."""
    return {m.key for m in catalogue_matches(G)}


def confirm_match(G: nx.DiGraph, touchpoint: str, key: str) -> nx.DiGraph:
    """A copy of ``G`` where ``touchpoint`` is confirmed as the catalogue entry ``key``."""
    catalogue_entry(key)
    H = G.copy()
    d = H.nodes[touchpoint]
    d["catalogue_id"] = key
    d["catalogue_rejected"] = ",".join(sorted(_rejected(d) - {key}))
    return H


def reject_match(G: nx.DiGraph, touchpoint: str, key: str) -> nx.DiGraph:
    """A copy of ``G`` where ``touchpoint`` is no longer matched to the catalogue entry ``key``."""
    catalogue_entry(key)
    H = G.copy()
    d = H.nodes[touchpoint]
    d["catalogue_rejected"] = ",".join(sorted(_rejected(d) | {key}))
    if d.get("catalogue_id") == key:
        d["catalogue_id"] = ""
    return H


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
        catalogue_id=key,
    )
