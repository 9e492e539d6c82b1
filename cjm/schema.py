"""The journey-map schema: every field name, choice list and limit lives here and nowhere else.

A map is a ``networkx.DiGraph``: ``G.graph`` holds the map attributes (:data:`MAP_FIELDS`), each node
is a touchpoint (:data:`TOUCHPOINT_FIELDS`), each edge a transition (:data:`TRANSITION_FIELDS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "FORMAT_VERSION",
    "MAP_TYPES",
    "PHASES",
    "DEFAULT_STAGES",
    "DAY_STAGES",
    "CATEGORIES",
    "CHANNELS",
    "STATUSES",
    "EVIDENCE_LEVELS",
    "TASK_STATUSES",
    "EVALUATORS",
    "DECISIONS",
    "ROLES",
    "BLUEPRINT_LANES",
    "EMOTION_MIN",
    "EMOTION_MAX",
    "EMOTION_SCALES",
    "NAME_MAX",
    "TEXT_MAX",
    "Field",
    "TOUCHPOINT_FIELDS",
    "TOUCHPOINT_FIELD_NAMES",
    "TRANSITION_FIELDS",
    "PERSONA_FIELDS",
    "MAP_FIELDS",
    "COUNTS_SOURCE_FIELDS",
]

#: Version of the JSON file format (``cjm_format`` in every file).
FORMAT_VERSION = 1

MAP_TYPES = ("current_state", "day_in_life", "future_state", "service_blueprint")

PHASES = ("before_purchase", "purchase", "after_purchase")

#: The nine-stage template (awareness → … → loyalty), each with its phase.
DEFAULT_STAGES: tuple[tuple[str, str, str], ...] = (
    ("awareness", "Awareness", "before_purchase"),
    ("consideration", "Consideration", "before_purchase"),
    ("interest", "Interest", "before_purchase"),
    ("intent", "Intent", "before_purchase"),
    ("purchase", "Purchase", "purchase"),
    ("post_purchase", "Post-purchase", "after_purchase"),
    ("retention", "Retention", "after_purchase"),
    ("advocacy", "Advocacy", "after_purchase"),
    ("loyalty", "Loyalty", "after_purchase"),
)

#: A simpler template for day-in-the-life maps (the stages are parts of the day).
DAY_STAGES: tuple[tuple[str, str, str], ...] = (
    ("morning", "Morning", "before_purchase"),
    ("daytime", "Daytime", "purchase"),
    ("evening", "Evening", "after_purchase"),
)

#: The seven categories of touchpoints (I. Mann, "Touchpoints").
CATEGORIES = (
    "product",
    "technology",
    "staff",
    "materials",
    "business_processes",
    "communications",
    "offices",
)

CHANNELS = (
    "website",
    "mobile_app",
    "phone",
    "email",
    "messenger",
    "social",
    "office",
    "courier",
    "print",
    "word_of_mouth",
    "event",
    "other",
)

STATUSES = ("existing", "missing", "planned", "retired")

EVIDENCE_LEVELS = ("observed", "reported", "inferred", "assumed")

TASK_STATUSES = ("todo", "in_progress", "done")

#: Who evaluated a touchpoint in an audit.
EVALUATORS = ("self", "expert", "customer", "mystery_shopper")

#: The decision a touchpoint serves (the three decisions a customer makes at touchpoints): to start the
#: relationship, to buy or to postpone, to stay or to leave.
DECISIONS = ("start", "buy_or_postpone", "stay_or_leave")

#: The role of a touchpoint in the sale: early ones raise interest, late ones convince.
ROLES = ("raise_interest", "convince")

#: Service-blueprint lanes besides the customer's action (standard blueprint).
BLUEPRINT_LANES = ("physical_evidence", "frontstage", "backstage", "support_processes")

EMOTION_MIN = -2.0
EMOTION_MAX = 2.0

#: Other emotion scales a file may use; each maps linearly onto −2 … +2.
EMOTION_SCALES: dict[str, tuple[float, float]] = {
    "-2..2": (-2.0, 2.0),
    "1..10": (1.0, 10.0),
    "0..5": (0.0, 5.0),
    "1..5": (1.0, 5.0),
    "-3..3": (-3.0, 3.0),
}

NAME_MAX = 200
TEXT_MAX = 2000


@dataclass(frozen=True)
class Field:
    """One attribute of a touchpoint, transition or persona.

    ``kind`` is one of ``str``, ``text`` (long str), ``int``, ``float``, ``bool``, ``choice``,
    ``date`` (ISO ``YYYY-MM-DD``), ``time`` (``HH:MM``), ``list`` (of dicts).
    ``default`` is what an absent value becomes; ``None`` means "not given".
    """

    name: str
    kind: str
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_len: int | None = None
    #: True when the field is a list of records rather than a scalar (comments, votes).
    tabular: bool = True


def _text(name: str, max_len: int = TEXT_MAX) -> Field:
    return Field(name, "text", default="", max_len=max_len)


TOUCHPOINT_FIELDS: tuple[Field, ...] = (
    Field("id", "str", required=True, max_len=80),
    Field("name", "str", required=True, max_len=NAME_MAX),
    Field("stage", "str", required=True, max_len=80),
    Field("order", "float", default=None),
    Field("channel", "choice", default="", choices=CHANNELS),
    Field("category", "choice", default="", choices=CATEGORIES),
    _text("action"),
    Field("steps", "int", minimum=0, maximum=1000),
    _text("thought"),
    Field("emotion", "float", minimum=EMOTION_MIN, maximum=EMOTION_MAX),
    _text("pain_point"),
    _text("opportunity"),
    Field("conversion_point", "bool", default=False),
    Field("status", "choice", default="existing", choices=STATUSES),
    Field("evidence", "choice", default="assumed", choices=EVIDENCE_LEVELS),
    Field("time_of_day", "time"),
    Field("company_present", "bool", default=True),
    _text("physical_evidence"),
    _text("frontstage"),
    _text("backstage"),
    _text("support_processes"),
    Field("key_touchpoint", "bool", default=False),
    Field("importance", "int", minimum=1, maximum=5),
    Field("score", "int", minimum=1, maximum=5),
    Field("evaluated_by", "choice", default="", choices=EVALUATORS),
    _text("evaluation_note"),
    _text("owner", NAME_MAX),
    _text("task"),
    Field("deadline", "date"),
    Field("task_status", "choice", default="", choices=TASK_STATUSES),
    Field("users", "int", minimum=0),
    Field("decision", "choice", default="", choices=DECISIONS),
    Field("role", "choice", default="", choices=ROLES),
    #: The touchpoint takes the customer's contact details (rule 8: keep the contact without a sale).
    Field("captures_contact", "bool", default=False),
    #: A deliberate end of the journey (a review written, a trip over): not a dead end.
    Field("intended_end", "bool", default=False),
    #: The catalogue entry the touchpoint was added from (or confirmed as matching); "" when none.
    Field("catalogue_id", "str", default="", max_len=80),
    #: Catalogue ids a facilitator rejected as matches for this touchpoint (comma-separated).
    Field("catalogue_rejected", "str", default="", max_len=TEXT_MAX),
    Field("comments", "list", default=(), tabular=False),
    Field("votes", "list", default=(), tabular=False),
)
TOUCHPOINT_FIELD_NAMES = tuple(f.name for f in TOUCHPOINT_FIELDS)

TRANSITION_FIELDS: tuple[Field, ...] = (
    Field("users", "int", minimum=0),
    _text("label", NAME_MAX),
)

PERSONA_FIELDS: tuple[Field, ...] = (
    Field("name", "str", default="", max_len=NAME_MAX),
    _text("description"),
    _text("goals"),
    _text("demographics"),
    _text("psychographics"),
)

#: Map-level attributes kept in ``G.graph``.
MAP_FIELDS = (
    "id",
    "title",
    "map_type",
    "persona",
    "segment",
    "stages",
    "baseline_id",
    "language",
    "created_at",
    "updated_at",
    "counts_source",
    "competitor",
)

#: ``G.graph["competitor"]`` (absent or blank on our own maps): the competitor whose journey the map
#: records, for the same persona and stages as ours (rules 1 and 4: know the competitors' touchpoints).

#: ``G.graph["counts_source"]`` (absent until funnel counts are saved onto the map): where the
#: ``users`` counts came from — ``source`` (file name), ``saved_at`` (ISO time, UTC), and the
#: ``touchpoints`` (ids) and ``transitions`` (``[source, target]``) whose counts it set, so the
#: next funnel saved onto the map replaces them.
COUNTS_SOURCE_FIELDS = ("source", "saved_at", "touchpoints", "transitions")
