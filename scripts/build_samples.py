"""Build the six sample maps in ``sample_data/maps/`` (the store seeds a fresh database from them).

Deterministic: fixed ids, fixed timestamps, fixed insertion order, so running the script twice writes
byte-identical files. Every map is built with :mod:`cjm.model`, validated with
:func:`cjm.validation.validate_map` and written with :func:`cjm.io.jsonio.write_json`.

Usage::

    .venv/bin/python scripts/build_samples.py            # writes sample_data/maps/*.json
    .venv/bin/python scripts/build_samples.py --out DIR  # writes somewhere else (tests use this)
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from cjm import model, schema  # noqa: E402
from cjm.io.jsonio import write_json  # noqa: E402
from cjm.validation import validate_map  # noqa: E402

__all__ = ["MAP_IDS", "build_all", "write_all", "main"]

DEFAULT_OUT = ROOT / "sample_data" / "maps"

#: The sample maps, in the order the library lists them.
MAP_IDS = (
    "airline-current",
    "airline-day",
    "airline-future",
    "airline-blueprint",
    "shop-current",
    "shop-future",
)


# ---------------------------------------------------------------------------------------------------
# Small builder helpers
# ---------------------------------------------------------------------------------------------------


class _Builder:
    """Adds touchpoints and transitions to one map with the workshop's participants and dates."""

    def __init__(self, G: nx.DiGraph, *, participants: Sequence[str] = (), vote_time: str = "", comment_time: str = ""):
        self.G = G
        self.participants = tuple(participants)
        self.vote_time = vote_time
        self.comment_time = comment_time

    def tp(
        self,
        tp_id: str,
        name: str,
        stage: str,
        order: float,
        *,
        votes: Sequence[float] | None = None,
        comments: Iterable[tuple[str, str]] | None = None,
        **fields: Any,
    ) -> str:
        """Add a touchpoint; ``votes`` are scores in participant order (emotion becomes their mean)."""
        if votes:
            if len(votes) > len(self.participants):
                raise ValueError(f"{tp_id}: more votes than participants")
            fields["votes"] = [
                {"participant": p, "score": float(s), "time": self.vote_time}
                for p, s in zip(self.participants, votes, strict=False)
            ]
        if comments:
            # a discussion takes a few minutes: each reply comes 4 minutes after the one before
            start = datetime.fromisoformat(self.comment_time)
            fields["comments"] = [
                {"author": a, "text": t, "time": (start + timedelta(minutes=4 * i)).isoformat()}
                for i, (a, t) in enumerate(comments)
            ]
        model.add_touchpoint(self.G, name, stage, id=tp_id, order=float(order), **fields)
        if votes:
            model.recompute_emotion_from_votes(self.G, tp_id)
        return tp_id

    def flow(self, u: str, v: str, users: int | None = None, label: str = "") -> None:
        model.add_transition(self.G, u, v, users=users, label=label)


def _new(
    map_id: str,
    title: str,
    map_type: str,
    *,
    persona: dict[str, str],
    segment: str,
    created: str,
    updated: str,
    stages: Sequence[tuple[str, str, str]] | None = None,
    stages_template: str | None = None,
    baseline_id: str | None = None,
    language: str = "en",
) -> nx.DiGraph:
    G = model.new_map(
        title,
        map_type,
        map_id=map_id,
        stages_template=stages_template,
        persona=persona,
        segment=segment,
        baseline_id=baseline_id,
        language=language,
    )
    if stages is not None:
        G.graph["stages"] = [{"id": i, "name": n, "phase": p} for i, n, p in stages]
    G.graph["created_at"] = created
    G.graph["updated_at"] = updated
    return G


def _derive(
    base: nx.DiGraph,
    map_id: str,
    title: str,
    map_type: str,
    *,
    created: str,
    updated: str,
    baseline_id: str | None = None,
) -> nx.DiGraph:
    """A copy of ``base`` under a new id, keeping touchpoint ids (so maps compare by id)."""
    H = copy.deepcopy(base)
    H.graph.update(
        id=map_id,
        title=title,
        map_type=map_type,
        baseline_id=baseline_id,
        created_at=created,
        updated_at=updated,
    )
    return H


def _update(G: nx.DiGraph, tp_id: str, **fields: Any) -> None:
    """Change fields of an existing touchpoint (names checked against the schema)."""
    unknown = set(fields) - set(schema.TOUCHPOINT_FIELD_NAMES)
    if unknown:
        raise TypeError(f"{tp_id}: unknown fields {sorted(unknown)}")
    if tp_id not in G:
        raise KeyError(tp_id)
    G.nodes[tp_id].update(fields)


def _set_users(G: nx.DiGraph, counts: dict[tuple[str, str], int | None]) -> None:
    for (u, v), users in counts.items():
        if not G.has_edge(u, v):
            raise KeyError(f"no transition {u} → {v}")
        G.edges[u, v]["users"] = users


def _clear_workshop(G: nx.DiGraph) -> None:
    """Votes and comments belong to the workshop on the map they were cast on."""
    for _, d in G.nodes(data=True):
        d["votes"] = []
        d["comments"] = []


# ---------------------------------------------------------------------------------------------------
# 1. Airline — current state
# ---------------------------------------------------------------------------------------------------

AIRLINE_PERSONA = {
    "name": "Maria, frequent business traveller",
    "description": (
        "Maria Keller, 38, regional sales director for a medical-devices maker in Frankfurt. Flies "
        "Northwind Airways two or three times a month within Europe, mostly day returns and one-nighters. "
        "Books herself on a laptop the evening before a trip, travels with a cabin bag plus a sample case "
        "that has to be checked in."
    ),
    "goals": (
        "Arrive on time for the client meeting; know the full price before paying; lose no time at the "
        "airport; be able to work on board; get her expense documents without chasing anyone."
    ),
    "demographics": (
        "38 years old, married, two children (7 and 11); lives in a Frankfurt suburb; income in the top "
        "15 %; 30+ flights a year; silver tier in the airline's loyalty programme."
    ),
    "psychographics": (
        "Time is her scarcest resource; hates surprises and hidden conditions; trusts colleagues' advice "
        "more than ads; forgiving of a delay if she hears about it early and honestly; will switch airline "
        "after two bad trips in a row."
    ),
}
AIRLINE_SEGMENT = "Business travellers booking direct, 25–35 flights a year"
AIRLINE_WORKSHOP = (
    "Anna K. (CX lead)",
    "Dmitri P. (e-commerce)",
    "Lena S. (call centre)",
    "Tom B. (ground operations)",
    "Sofia R. (loyalty)",
    "Marc W. (IT)",
)


def airline_current() -> nx.DiGraph:
    G = _new(
        "airline-current",
        "Northwind Airways — business trip, current state",
        "current_state",
        persona=AIRLINE_PERSONA,
        segment=AIRLINE_SEGMENT,
        created="2026-11-01T09:00:00+00:00",
        updated="2026-11-20T16:30:00+00:00",
    )
    b = _Builder(
        G,
        participants=AIRLINE_WORKSHOP,
        vote_time="2026-11-12T10:30:00+00:00",
        comment_time="2026-11-12T11:15:00+00:00",
    )
    # --- Awareness --------------------------------------------------------------------------------
    b.tp(
        "ad-social",
        "Display ad in the social feed",
        "awareness",
        1,
        channel="social",
        category="communications",
        action="Scrolls LinkedIn on the train and sees a banner: Frankfurt–Madrid from €129.",
        thought="€129 is probably without a bag. Still, a direct flight at 07:05 would suit me.",
        emotion=0.5,
        pain_point="The ad price excludes the checked bag she always needs; the banner does not say so.",
        opportunity="Show a 'business' price with one checked bag in ads targeted at frequent travellers.",
        evidence="observed",
        users=10000,
        physical_evidence="Sponsored post with route, fare and departure time",
        frontstage="Paid social campaign targeted at job titles and frequent-travel interest",
        backstage="Marketing team sets audiences and bids weekly",
        support_processes="Ad platform, fare feed from revenue management",
    )
    b.tp(
        "friend-tip",
        "Colleague's recommendation",
        "awareness",
        2,
        channel="word_of_mouth",
        category="communications",
        action="Over lunch a colleague says Northwind's morning flights are usually on time and the crew is friendly.",
        thought="If Jonas says they are punctual, I'll check them first.",
        emotion=1.0,
        evidence="reported",
        users=1200,
        opportunity="A refer-a-colleague bonus in the loyalty programme would turn such advice into bookings.",
        physical_evidence="None: a conversation",
        backstage="None today: referrals are not tracked",
    )
    # --- Consideration ------------------------------------------------------------------------------
    b.tp(
        "aggregator-search",
        "Fare search on a price aggregator",
        "consideration",
        3,
        channel="website",
        category="product",
        action="Compares six carriers for Tuesday on a meta-search site, sorting by departure time, then price.",
        steps=4,
        thought="Northwind is €20 dearer than the low-cost carrier, but the times are better.",
        emotion=0.0,
        votes=(0, 1, 0, -1, 0),
        pain_point="Fares on the aggregator differ from the airline's own site by up to €15.",
        opportunity="Keep the fare feed in sync and show 'best price guaranteed on northwind.example'.",
        evidence="inferred",
        users=5800,
        physical_evidence="Aggregator result list with Northwind logo and fare",
        backstage="Revenue management publishes fares to the aggregator feed every 2 hours",
        support_processes="Fare distribution feed, aggregator API",
    )
    # --- Interest -----------------------------------------------------------------------------------
    b.tp(
        "fare-page",
        "Fare calendar on the airline website",
        "interest",
        4,
        channel="website",
        category="technology",
        action="Opens northwind.example on her laptop and checks the fare calendar for the week.",
        steps=3,
        thought="Good, the calendar shows Tuesday and Thursday at a glance.",
        emotion=0.5,
        evidence="observed",
        users=4300,
        key_touchpoint=True,
        pain_point="The three fare families (Light, Classic, Flex) are compared only in a PDF link.",
        opportunity="A side-by-side fare table on the results page, with what each fare includes.",
        physical_evidence="Website results page and fare calendar",
        frontstage="Booking engine pages",
        backstage="Revenue management updates availability in real time",
        support_processes="Booking engine, inventory system",
    )
    # --- Intent -------------------------------------------------------------------------------------
    b.tp(
        "seat-extras",
        "Seat selection and extras",
        "intent",
        5,
        channel="website",
        category="product",
        action="Picks an aisle seat in row 4 and adds a checked bag for the sample case.",
        steps=6,
        thought="€35 for the bag each way? Now it costs more than the competitor I closed.",
        votes=(-2, -2, -1, -2, -1, -2),
        pain_point=(
            "Hidden baggage fee: the bag (€35 each way) appears only on step 5 of 7, after the fare is "
            "chosen. 26 % of sessions that reach this screen leave."
        ),
        opportunity="Show the total price with a bag from the first search screen; a 'Classic + bag' bundle.",
        evidence="observed",
        users=2900,
        key_touchpoint=True,
        importance=5,
        score=2,
        evaluated_by="customer",
        evaluation_note="Top complaint in 212 web-survey answers in October; confirmed by session recordings.",
        owner="Head of e-commerce",
        task="Show the baggage price on the fare cards from the first results screen",
        deadline="2026-10-31",
        task_status="in_progress",
        physical_evidence="Seat map, extras page with running total",
        frontstage="Booking engine upsell screens",
        backstage="Ancillary pricing set by revenue management",
        support_processes="Seat map service, ancillary pricing engine",
        comments=[
            (
                "Dmitri P. (e-commerce)",
                "Analytics: exit rate on the extras step rose from 18 % to 26 % after the May price change.",
            ),
            ("Lena S. (call centre)", "About 40 calls a week start with 'why did the price jump at the end?'."),
        ],
    )
    # --- Purchase -----------------------------------------------------------------------------------
    b.tp(
        "payment",
        "Card payment on the website",
        "purchase",
        6,
        channel="website",
        category="technology",
        conversion_point=True,
        action="Enters the company card and confirms the 3-D Secure code on her phone.",
        steps=4,
        thought="Please don't time out, I have another call in five minutes.",
        votes=(-1, 0, -1, 0, -1),
        pain_point="No saved cards, no Apple Pay / Google Pay; the company card data must be typed every time.",
        opportunity="Saved cards and wallet payments for logged-in members; one tap for returning customers.",
        evidence="observed",
        users=2410,
        key_touchpoint=True,
        importance=5,
        score=3,
        evaluated_by="mystery_shopper",
        evaluation_note="Mystery shopper: 2 min 40 s from 'pay' to confirmation on a laptop; 4 steps.",
        owner="Payments product owner",
        task="Add wallet payments and saved cards for members",
        deadline="2026-12-15",
        task_status="todo",
        physical_evidence="Payment form, bank 3-D Secure page, phone push from the bank",
        frontstage="Payment page of the booking engine",
        backstage="Fraud screening of the transaction",
        support_processes="Payment gateway, acquiring bank, fraud scoring",
    )
    b.tp(
        "payment-error",
        "Payment error: 3-D Secure timeout",
        "purchase",
        7,
        channel="website",
        category="technology",
        action="The bank page times out; the site says 'payment failed' and returns her to passenger details.",
        steps=5,
        thought="Was I charged? Is the seat gone? I have to type everything again.",
        votes=(-2, -2, -2, -1, -2, -2),
        pain_point=(
            "After a failed payment the passenger data and the seat are lost; 20 % of payers hit an error, "
            "only 60 % of them retry."
        ),
        opportunity="Hold the booking for 20 minutes and keep every entered field; offer another payment method.",
        evidence="observed",
        users=430,
        importance=4,
        score=1,
        evaluated_by="expert",
        evaluation_note="Gateway logs: 3-D Secure timeouts peak on Monday mornings.",
        owner="Payments product owner",
        task="Keep the booking and passenger data for 20 minutes after a declined payment",
        deadline="2026-11-20",
        task_status="todo",
        physical_evidence="Error banner on the payment page",
        frontstage="Error message of the booking engine",
        backstage="The pending booking is cancelled at once by the inventory system",
        support_processes="Payment gateway, inventory hold rules",
    )
    b.tp(
        "confirmation-email",
        "Booking confirmation e-mail",
        "purchase",
        8,
        channel="email",
        category="materials",
        action="Gets the e-ticket within a minute and forwards it to the travel-expense mailbox.",
        thought="Clear and quick. The VAT invoice, though, is not attached.",
        emotion=1.0,
        evidence="observed",
        users=1800,
        pain_point="The VAT invoice for expenses must be requested separately through a web form.",
        opportunity="Attach the VAT invoice to the confirmation for bookings paid with a company card.",
        physical_evidence="E-mail with e-ticket PDF and booking code",
        frontstage="Transactional e-mail",
        backstage="Ticketing issues the e-ticket; CRM logs the booking",
        support_processes="Ticketing system, e-mail service, CRM",
    )
    # --- Post-purchase (the trip) -------------------------------------------------------------------
    b.tp(
        "mobile-checkin",
        "Mobile check-in in the app",
        "post_purchase",
        9,
        channel="mobile_app",
        category="technology",
        action="Checks in in the app 24 hours before departure and adds the boarding pass to her phone wallet.",
        steps=5,
        thought="Done in a minute. I like that the seat I chose is kept.",
        votes=(1, 2, 1, 0, 1, 2),
        pain_point="Check-in opens only 24 h before; she often forgets and does it in the taxi.",
        opportunity="Automatic check-in with the chosen seat, boarding pass sent 30 h before.",
        evidence="observed",
        users=1150,
        key_touchpoint=True,
        importance=4,
        score=4,
        evaluated_by="expert",
        evaluation_note="App store rating 4.5; check-in funnel completion 91 %.",
        owner="Mobile product manager",
        task="Add the boarding pass to the wallet in one tap",
        deadline="2026-09-30",
        task_status="done",
        physical_evidence="App screens, mobile boarding pass with QR code",
        frontstage="Mobile app check-in flow",
        backstage="Departure control system assigns the seat and issues the boarding pass",
        support_processes="Departure control system, app backend, push service",
    )
    b.tp(
        "web-checkin",
        "Web check-in on the laptop",
        "post_purchase",
        10,
        channel="website",
        category="technology",
        action="Checks in on the website and prints the boarding pass at the office.",
        steps=7,
        thought="Why does it ask for my passport number again? I gave it when booking.",
        emotion=-0.5,
        evidence="inferred",
        users=520,
        pain_point="Passport data entered at booking is not pre-filled; the printed pass is the only copy.",
        opportunity="Pre-fill passenger data and send the pass to the app and e-mail as well.",
        physical_evidence="Printed A4 boarding pass",
        frontstage="Web check-in pages",
        backstage="Departure control system",
        support_processes="Departure control system, passenger data (APIS) service",
    )
    b.tp(
        "delay-notice",
        "Proactive delay notification via messenger",
        "post_purchase",
        11,
        channel="messenger",
        category="communications",
        status="missing",
        action="Would like a WhatsApp message hours ahead when the flight is delayed, before leaving home.",
        thought="If I had known at 5 a.m., I would have slept another hour and warned the client.",
        emotion=None,
        evidence="reported",
        pain_point=(
            "Today the only delay notice is an SMS about 20 minutes before the planned departure, when "
            "passengers are already at the gate. 31 % of delay complaints say 'nobody told us'."
        ),
        opportunity="Delay alerts in WhatsApp/Telegram as soon as operations control knows, with rebooking options.",
        key_touchpoint=True,
        importance=5,
        evaluated_by="customer",
        evaluation_note="Asked for in 1 of 4 free-text survey answers about delays.",
        owner="Operations control centre with CRM",
        task="Launch delay alerts in WhatsApp and Telegram for flights delayed by 30+ minutes",
        deadline="2026-11-15",
        task_status="in_progress",
        backstage="Operations control centre knows about most delays 2–3 hours ahead",
        support_processes="Flight operations system (no link to CRM yet)",
    )
    b.tp(
        "bag-drop",
        "Bag drop with ground staff",
        "post_purchase",
        12,
        channel="office",
        category="staff",
        action="Queues at the bag drop for the sample case; the agent tags the bag and wishes her a good trip.",
        steps=3,
        thought="Twenty-five minutes in line just to drop one bag. The agent was kind, though.",
        votes=(-1, -2, 0, -1, -1),
        pain_point="One bag-drop desk open at 05:45 for three morning departures; 25-minute queue.",
        opportunity="Self-service bag-drop kiosks; staff rostered to the morning peak.",
        evidence="observed",
        users=1060,
        key_touchpoint=True,
        importance=4,
        score=2,
        evaluated_by="mystery_shopper",
        evaluation_note="Mystery shopper, 3 visits in October: queue 18, 25 and 31 minutes.",
        owner="Ground operations manager, FRA",
        task="Install 4 self-service bag-drop kiosks in Terminal 1",
        deadline="2027-03-01",
        task_status="todo",
        physical_evidence="Counter, queue barriers, bag tag, baggage receipt sticker",
        frontstage="Check-in agent weighs and tags the bag",
        backstage="Baggage handling sorts the bag to the flight",
        support_processes="Departure control system, baggage reconciliation system",
        comments=[
            (
                "Tom B. (ground operations)",
                "Roster was cut to one agent before 06:00 in spring; we can change it in two weeks.",
            )
        ],
    )
    b.tp(
        "security",
        "Security check",
        "post_purchase",
        13,
        channel="office",
        category="business_processes",
        action="Goes through airport security; laptop and liquids out.",
        thought="As usual. At least the fast-track lane for silver members is open.",
        emotion=-0.5,
        evidence="assumed",
        users=1800,
        pain_point="The fast-track entitlement is not printed on the mobile boarding pass, so staff ask for the card.",
        opportunity="Print the tier and 'FAST TRACK' on the mobile boarding pass.",
        physical_evidence="Boarding pass scan gate, trays",
        frontstage="Airport security staff (not airline staff)",
        backstage="Airport operator",
        support_processes="Boarding pass validation at the security gate",
    )
    b.tp(
        "boarding",
        "Boarding at the gate",
        "post_purchase",
        14,
        channel="office",
        category="offices",
        action="Walks to gate A26, then learns from a screen that the gate moved to B44, ten minutes away.",
        thought="Why didn't the app tell me? Now I'm last in the bus.",
        emotion=-1.0,
        evidence="reported",
        users=1795,
        pain_point="Gate changes are shown on airport screens only; the app does not push them.",
        opportunity="Push gate changes through the app with walking time to the new gate.",
        physical_evidence="Gate signage, boarding pass scanner, apron bus",
        frontstage="Gate agents scan boarding passes, announce boarding groups",
        backstage="Station control assigns gates",
        support_processes="Departure control system, airport gate management",
    )
    b.tp(
        "inflight-service",
        "In-flight service",
        "post_purchase",
        15,
        channel="other",
        category="staff",
        action="Gets coffee and a sandwich; the purser greets her by name as a silver member.",
        thought="Nice that they know me. The coffee is good.",
        votes=(2, 1, 2, 1, 2),
        evidence="reported",
        users=1795,
        opportunity="Let members pre-order a meal in the app, so the favourite option is never sold out.",
        physical_evidence="Cabin, trolley, menu card, cups with the logo",
        frontstage="Cabin crew service round",
        backstage="Catering loads meals by forecast",
        support_processes="Catering ordering, crew passenger list with tiers",
    )
    b.tp(
        "inflight-entertainment",
        "In-flight entertainment and Wi-Fi",
        "post_purchase",
        16,
        channel="other",
        category="product",
        action="Connects to on-board Wi-Fi to finish her slides; tries the streaming portal.",
        thought="Wi-Fi works, but €12 for an hour-and-a-half flight is steep.",
        emotion=0.5,
        evidence="inferred",
        users=1240,
        pain_point="Wi-Fi costs €12 per flight even for silver members; the portal has few films in German.",
        opportunity="Free messaging Wi-Fi for members; paid tier for streaming.",
        physical_evidence="Wi-Fi portal page, seat-back card with instructions",
        frontstage="Wi-Fi portal",
        backstage="Connectivity provider manages the satellite link",
        support_processes="Wi-Fi provider billing, content licensing",
    )
    b.tp(
        "paper-feedback-card",
        "Paper feedback card in the seat pocket",
        "post_purchase",
        17,
        channel="print",
        category="materials",
        action="Finds a paper comment card in the seat pocket; fills it in while waiting to land.",
        thought="Will anyone ever read this?",
        emotion=-0.5,
        evidence="assumed",
        users=140,
        pain_point="Cards are collected irregularly and typed in by hand a month later; nobody answers.",
        opportunity="Replace the card with a one-tap rating in the app right after landing.",
        physical_evidence="Printed A5 card, pen from the crew",
        frontstage="Crew collect cards when they remember",
        backstage="Customer relations types in cards monthly",
        support_processes="Manual data entry into the survey tool",
    )
    b.tp(
        "baggage-claim",
        "Arrival and baggage claim",
        "post_purchase",
        18,
        channel="office",
        category="business_processes",
        action="Waits at belt 7 for the sample case.",
        thought="35 minutes for one bag. I'll be late for the client.",
        emotion=-1.0,
        evidence="observed",
        users=1795,
        pain_point="Bags arrive 25–40 minutes after landing; no information where the bag is.",
        opportunity="Bag tracking in the app with the belt number and estimated arrival.",
        physical_evidence="Belt display, baggage hall",
        frontstage="Airport baggage hall (handling agent)",
        backstage="Handling agent unloads and delivers bags to the belt",
        support_processes="Baggage reconciliation system, handling agent contract (SLA: 25 min)",
    )
    # --- Retention ----------------------------------------------------------------------------------
    b.tp(
        "lost-baggage",
        "Lost-baggage complaint",
        "retention",
        19,
        channel="phone",
        category="business_processes",
        action="Her bag did not arrive. Files a report at the desk, then calls the hotline twice over two days.",
        steps=9,
        thought="The samples are for tomorrow's demo. Nobody can tell me where the bag is.",
        votes=(-2, -2, -2, -1, -2, -2),
        pain_point=(
            "40 minutes on hold; each agent asks for the file number again; the bag is delivered after 3 "
            "days with no apology or compensation offered."
        ),
        opportunity=(
            "Recovery moment: proactive status updates, courier delivery within 24 h and a €50 voucher "
            "offered without asking can turn this into a neutral or even positive memory."
        ),
        evidence="reported",
        users=41,
        key_touchpoint=True,
        importance=5,
        score=1,
        evaluated_by="customer",
        evaluation_note="41 reports per 1,800 passengers of the segment (2.3 %); NPS of this group −62.",
        owner="Baggage services lead",
        task="Proactive courier delivery within 24 hours and an automatic €50 voucher",
        deadline="2027-01-20",
        task_status="todo",
        physical_evidence="Property irregularity report, hotline menu, courier delivery",
        frontstage="Lost-and-found desk, hotline agents",
        backstage="Baggage tracing team searches the world tracer system",
        support_processes="WorldTracer, call-centre software, courier contract",
        comments=[
            (
                "Anna K. (CX lead)",
                "This is where we lose silver members. Two of five churned members in interviews named a lost bag.",
            ),
            ("Lena S. (call centre)", "Agents cannot see the tracing status; we have to e-mail baggage services."),
        ],
    )
    b.tp(
        "survey-email",
        "Satisfaction survey e-mail",
        "retention",
        20,
        channel="email",
        category="communications",
        action="Gets a survey the next day; gives up at question 14 of 42.",
        thought="Too long. And it doesn't even know my bag was lost.",
        emotion=-0.5,
        evidence="observed",
        users=1754,
        pain_point="42 questions; the survey ignores what happened on the trip; 8 % response rate.",
        opportunity="Five questions, tailored to the trip (delay, lost bag), sent within 2 hours of landing.",
        importance=3,
        score=2,
        evaluated_by="self",
        owner="CX analyst",
        task="Cut the survey to 5 questions and trigger it from trip events",
        deadline="2026-11-10",
        task_status="done",
        physical_evidence="Survey e-mail and web form",
        frontstage="Survey invitation",
        backstage="CX team analyses answers monthly",
        support_processes="Survey tool, CRM trip data",
    )
    # --- Advocacy -----------------------------------------------------------------------------------
    b.tp(
        "review",
        "Review on a travel site",
        "advocacy",
        21,
        channel="social",
        category="communications",
        action="Writes a review on a travel forum: punctual flight, great crew, messy lost-baggage handling.",
        thought="Others should know what to expect.",
        emotion=0.5,
        evidence="observed",
        users=108,
        pain_point="The airline does not answer reviews on travel sites.",
        opportunity="Answer every review within a day, publicly, with a name and a fix.",
        physical_evidence="Public review page",
        frontstage="None today",
        backstage="Social media team monitors only the airline's own pages",
        support_processes="Social listening tool (not connected to review sites)",
    )
    # --- Loyalty ------------------------------------------------------------------------------------
    b.tp(
        "loyalty-signup",
        "Loyalty programme: miles and tier",
        "loyalty",
        22,
        channel="mobile_app",
        category="business_processes",
        conversion_point=True,
        action="Links the trip to her account, sees the miles credited and 4 flights left to gold tier.",
        thought="Four more flights to gold. Next time I'll book Northwind again.",
        emotion=1.5,
        evidence="observed",
        users=260,
        pain_point="Miles appear only after 10 days; missing flights must be claimed with a form.",
        opportunity="Credit miles on landing; show 'flights to next tier' on the boarding pass.",
        importance=4,
        score=3,
        evaluated_by="self",
        owner="Loyalty manager",
        task="Credit miles within 24 hours of landing",
        deadline="2027-02-15",
        task_status="in_progress",
        physical_evidence="App account screen with miles and tier progress",
        frontstage="Loyalty section of the app",
        backstage="Loyalty team reconciles flown coupons",
        support_processes="Loyalty platform, revenue accounting",
    )

    # Transitions: users = people of the segment per month who made the step.
    for u, v, users, label in (
        ("ad-social", "aggregator-search", 5400, "searches the route"),
        ("ad-social", "fare-page", 1100, "clicks the ad"),
        ("friend-tip", "fare-page", 700, "goes straight to the airline site"),
        ("friend-tip", "aggregator-search", 400, "compares first"),
        ("aggregator-search", "fare-page", 2500, "clicks through to the airline"),
        ("fare-page", "seat-extras", 2900, "chooses a fare"),
        ("seat-extras", "payment", 2150, "continues to payment"),
        ("payment", "confirmation-email", 1800, "paid"),
        ("payment", "payment-error", 430, "3-D Secure timeout or decline"),
        ("payment-error", "payment", 260, "retries, re-entering all data"),
        ("confirmation-email", "mobile-checkin", 1150, "checks in in the app"),
        ("confirmation-email", "web-checkin", 520, "checks in on the website"),
        ("confirmation-email", "bag-drop", 130, "checks in at the airport counter"),
        ("mobile-checkin", "delay-notice", 0, "wanted: a delay warning before leaving home"),
        ("delay-notice", "bag-drop", 0, ""),
        ("mobile-checkin", "bag-drop", 600, "has a bag to check"),
        ("mobile-checkin", "security", 550, "cabin bag only"),
        ("web-checkin", "bag-drop", 330, "has a bag to check"),
        ("web-checkin", "security", 190, "cabin bag only"),
        ("bag-drop", "security", 1060, ""),
        ("security", "boarding", 1795, ""),
        ("boarding", "inflight-service", 1795, ""),
        ("inflight-service", "inflight-entertainment", 1240, "connects to Wi-Fi"),
        ("inflight-service", "baggage-claim", 555, ""),
        ("inflight-entertainment", "paper-feedback-card", 140, "fills in the card"),
        ("inflight-entertainment", "baggage-claim", 1100, ""),
        ("paper-feedback-card", "baggage-claim", 140, ""),
        ("baggage-claim", "lost-baggage", 41, "bag did not arrive"),
        ("baggage-claim", "survey-email", 1754, "survey sent the next day"),
        ("lost-baggage", "review", 23, "writes about the lost bag"),
        ("survey-email", "review", 85, "invited to review"),
        ("survey-email", "loyalty-signup", 260, "joins or links the trip to the programme"),
        ("loyalty-signup", "fare-page", 95, "books the next trip"),
    ):
        b.flow(u, v, users, label)
    return G


# ---------------------------------------------------------------------------------------------------
# 2. Airline — a day in the life
# ---------------------------------------------------------------------------------------------------


def airline_day() -> nx.DiGraph:
    G = _new(
        "airline-day",
        "Maria's day-return trip to Madrid — a day in the life",
        "day_in_life",
        persona=AIRLINE_PERSONA,
        segment=AIRLINE_SEGMENT,
        created="2026-11-02T08:00:00+00:00",
        updated="2026-11-18T14:10:00+00:00",
    )
    b = _Builder(
        G,
        participants=AIRLINE_WORKSHOP[:4],
        vote_time="2026-11-12T14:00:00+00:00",
        comment_time="2026-11-12T14:20:00+00:00",
    )
    absent = {"company_present": False}
    # --- Morning ------------------------------------------------------------------------------------
    b.tp(
        "alarm-status",
        "Alarm and flight status check",
        "morning",
        1,
        time_of_day="04:45",
        channel="mobile_app",
        category="technology",
        action="Wakes at 04:45, opens the app in bed: flight NW 412 to Madrid 'on time'.",
        thought="On time. Good, no need to wake Tom to change the school run.",
        emotion=0.5,
        evidence="reported",
        opportunity="Show the expected queue at the bag drop next to the flight status.",
    )
    b.tp(
        "kids-breakfast",
        "Packing and a quick breakfast",
        "morning",
        2,
        time_of_day="05:10",
        **absent,
        channel="other",
        category="product",
        action="Packs the sample case, makes sandwiches for the kids, leaves a note for her husband.",
        thought="If I forget the demo unit, the whole trip is pointless.",
        emotion=0.0,
        evidence="reported",
        pain_point="Has to weigh the sample case on the bathroom scale: the app does not show the bag allowance.",
        opportunity="Show the booked bag allowance (23 kg) in the trip card.",
    )
    b.tp(
        "checkin-reminder",
        "Check-in reminder push",
        "morning",
        3,
        time_of_day="05:30",
        channel="mobile_app",
        category="communications",
        action="Gets a push: 'You have not checked in for NW 412'. She forgot to do it last night.",
        thought="Oh no, I still have to check in. Will my aisle seat still be there?",
        emotion=-0.5,
        evidence="observed",
        pain_point="The reminder came at 05:30 on the day; the one the evening before went to an old e-mail.",
        opportunity="Automatic check-in keeping the chosen seat; reminder the evening before by push.",
    )
    b.tp(
        "taxi-checkin",
        "Check-in in the app in the taxi",
        "morning",
        4,
        time_of_day="05:40",
        channel="mobile_app",
        category="technology",
        action="Checks in in the taxi on a slow mobile connection; the app restarts once.",
        steps=6,
        thought="Come on, load. The driver is already on the motorway.",
        votes=(-1, -1, 0, -2),
        pain_point="Check-in needs 6 screens and fails on a weak signal; the boarding pass did not reach the wallet.",
        opportunity="A light check-in (2 screens) that resumes after a connection drop.",
        evidence="observed",
    )
    b.tp(
        "email-triage",
        "E-mail triage on the way",
        "morning",
        5,
        time_of_day="05:55",
        **absent,
        channel="email",
        category="business_processes",
        action="Answers three e-mails from Asia and prints nothing: everything for the client is on the laptop.",
        thought="Let me clear the inbox before the meeting.",
        emotion=0.5,
        evidence="reported",
    )
    b.tp(
        "bag-drop-queue",
        "Bag drop queue",
        "morning",
        6,
        time_of_day="06:05",
        channel="office",
        category="staff",
        action="Queues 25 minutes at the only open bag-drop desk; the agent is friendly and fast once it is her turn.",
        thought="Twenty-five minutes for one bag. Next time I'll try to travel hand-luggage only.",
        emotion=-1.0,
        evidence="observed",
        pain_point="One desk open for three morning departures.",
        opportunity="Self-service bag drop; second agent rostered from 05:30.",
    )
    b.tp(
        "lounge",
        "Lounge pass bought in the app",
        "morning",
        7,
        time_of_day="06:40",
        channel="office",
        category="offices",
        conversion_point=True,
        action="Buys a €25 lounge pass in the app (silver tier has no lounge access), has a cappuccino, reviews the slides.",
        thought="Finally, ten quiet minutes.",
        emotion=1.5,
        evidence="reported",
        pain_point="The lounge Wi-Fi password is only on a paper sign at the entrance.",
        opportunity="Wi-Fi joins automatically from the app for lounge guests.",
    )
    b.tp(
        "delay-sms",
        "Flight delay SMS",
        "morning",
        8,
        time_of_day="06:50",
        channel="phone",
        category="communications",
        action="An SMS says NW 412 is delayed by 90 minutes, 15 minutes before boarding was due.",
        thought="Ninety minutes! I'll miss the start of the meeting. Why now and not at 5?",
        votes=(-2, -2, -1, -2),
        pain_point="Operations knew about the late inbound aircraft at 04:30; the SMS came two hours later.",
        opportunity="Proactive messenger alert as soon as the delay is known, with a rebooking offer.",
        evidence="observed",
        comments=[
            (
                "Tom B. (ground operations)",
                "The inbound from Lisbon was delayed at 04:20; the SMS is triggered only when the gate updates ETD.",
            )
        ],
    )
    b.tp(
        "call-client",
        "Calling the client to move the meeting",
        "morning",
        9,
        time_of_day="07:00",
        **absent,
        channel="phone",
        category="business_processes",
        action="Calls the client's assistant and moves the meeting from 11:00 to 12:30.",
        thought="Embarrassing. They'll think I'm not organised.",
        emotion=-1.0,
        evidence="reported",
        pain_point="Has no written delay confirmation to forward to the client or her manager.",
        opportunity="A shareable delay confirmation in the app ('Flight delayed by the airline').",
    )
    # --- Daytime ------------------------------------------------------------------------------------
    b.tp(
        "boarding-flight",
        "Boarding and the flight",
        "daytime",
        10,
        time_of_day="08:20",
        channel="other",
        category="staff",
        action="Boards at 08:20; the crew apologise for the delay and serve coffee. She works on the slides.",
        thought="The crew are lovely. At least I can finish the deck.",
        emotion=1.0,
        evidence="reported",
        opportunity="Free messaging Wi-Fi for members so she can update the client in flight.",
    )
    b.tp(
        "taxi-to-client",
        "Taxi from the airport to the client",
        "daytime",
        11,
        time_of_day="11:40",
        **absent,
        channel="other",
        category="product",
        action="Lands at 11:25, no checked bag wait this time: the sample case comes out first. Takes a taxi.",
        thought="Priority tag worked. Just in time.",
        emotion=1.0,
        evidence="reported",
    )
    b.tp(
        "client-meeting",
        "Client meeting",
        "daytime",
        12,
        time_of_day="12:30",
        **absent,
        channel="office",
        category="business_processes",
        action="Presents the new device to the hospital's purchasing board; they agree to a pilot.",
        thought="Worth the early start.",
        emotion=2.0,
        evidence="reported",
    )
    b.tp(
        "lunch-rebook",
        "Late lunch and moving the return flight",
        "daytime",
        13,
        time_of_day="15:00",
        channel="mobile_app",
        category="business_processes",
        action="Tries to move to the earlier 17:05 return in the app; it asks for a €70 change fee.",
        thought="€70 to go home earlier on a flexible company fare? The hotline will do it for free, maybe.",
        emotion=-1.0,
        evidence="observed",
        pain_point="The app charges a change fee the Flex fare does not have; only the call centre applies the fare rules correctly.",
        opportunity="Apply the fare rules in the app; offer the earlier flight proactively when seats are free.",
    )
    b.tp(
        "walk-colleague",
        "Walk and a coffee with a colleague",
        "daytime",
        14,
        time_of_day="16:00",
        **absent,
        channel="word_of_mouth",
        category="communications",
        action="Walks to the airport train with the local sales rep, who swears by the low-cost carrier's app.",
        thought="Maybe their app is better. Worth a look.",
        emotion=0.5,
        evidence="assumed",
    )
    # --- Evening ------------------------------------------------------------------------------------
    b.tp(
        "return-flight",
        "Return flight with a mobile boarding pass",
        "evening",
        15,
        time_of_day="18:40",
        channel="mobile_app",
        category="technology",
        action="Boards with the mobile pass, dozes most of the flight.",
        thought="Smooth. This is how it should be every time.",
        emotion=1.0,
        evidence="reported",
    )
    b.tp(
        "family-dinner",
        "Late dinner with the family",
        "evening",
        16,
        time_of_day="21:15",
        **absent,
        channel="other",
        category="product",
        action="Gets home at 21:00, eats with her husband while the kids sleep.",
        thought="Home before ten. A good day after all.",
        emotion=2.0,
        evidence="reported",
    )
    b.tp(
        "expense-invoice",
        "Getting the VAT invoice for expenses",
        "evening",
        17,
        time_of_day="21:50",
        channel="website",
        category="materials",
        action="Searches the website for the VAT invoice; has to fill in a request form and wait for an e-mail.",
        steps=8,
        thought="Eight steps for a PDF. The expense system closes on Friday.",
        votes=(-1, -2, -1, -1),
        pain_point="The invoice is not attached to the booking e-mail and cannot be downloaded in the app.",
        opportunity="Attach the invoice to the confirmation and keep it under 'My trips'.",
        evidence="observed",
    )
    b.tp(
        "night-reviews",
        "Reading reviews of other airlines in bed",
        "evening",
        18,
        time_of_day="22:40",
        **absent,
        channel="social",
        category="communications",
        action="Reads reviews of the low-cost carrier's app and punctuality on a travel forum.",
        thought="If Northwind had warned me at 5 a.m., I wouldn't even be looking.",
        emotion=-0.5,
        evidence="assumed",
        pain_point="Competitor reviews praise early delay alerts; Northwind answers no reviews.",
        opportunity="Answer reviews publicly; make delay alerts the story people tell.",
    )
    b.tp(
        "survey-night",
        "Satisfaction survey e-mail",
        "evening",
        19,
        time_of_day="23:00",
        channel="email",
        category="communications",
        action="A 42-question survey arrives at 23:00; she deletes it.",
        thought="Not at eleven at night, and not 42 questions.",
        emotion=-0.5,
        evidence="observed",
        pain_point="Sent at a fixed hour, regardless of the passenger's time zone or day.",
        opportunity="A one-tap rating in the app right after landing.",
    )
    chain = [
        "alarm-status",
        "kids-breakfast",
        "checkin-reminder",
        "taxi-checkin",
        "email-triage",
        "bag-drop-queue",
        "lounge",
        "delay-sms",
        "call-client",
    ]
    for u, v in zip(chain, chain[1:], strict=False):
        b.flow(u, v)
    b.flow("call-client", "lounge", label="back to the lounge to wait out the delay")
    b.flow("call-client", "boarding-flight", label="boards 90 minutes late")
    chain = [
        "boarding-flight",
        "taxi-to-client",
        "client-meeting",
        "lunch-rebook",
        "walk-colleague",
        "return-flight",
        "family-dinner",
        "expense-invoice",
        "night-reviews",
        "survey-night",
    ]
    for u, v in zip(chain, chain[1:], strict=False):
        b.flow(u, v)
    return G


# ---------------------------------------------------------------------------------------------------
# 3. Airline — future state (baseline: airline-current; same touchpoint ids)
# ---------------------------------------------------------------------------------------------------


def airline_future(current: nx.DiGraph) -> nx.DiGraph:
    G = _derive(
        current,
        "airline-future",
        "Northwind Airways — business trip, future state 2027",
        "future_state",
        created="2026-11-14T09:00:00+00:00",
        updated="2026-11-24T17:45:00+00:00",
        baseline_id="airline-current",
    )
    _clear_workshop(G)
    b = _Builder(G, comment_time="2026-11-24T17:30:00+00:00")
    up = _update
    up(
        G,
        "ad-social",
        emotion=1.0,
        evidence="assumed",
        action="Sees a banner: Frankfurt–Madrid from €164 including a checked bag.",
        thought="€164 with the bag, direct at 07:05. That's the real price.",
        pain_point="",
        opportunity="Realised: ads for frequent travellers quote the price with a bag.",
    )
    up(
        G,
        "aggregator-search",
        emotion=0.5,
        evidence="assumed",
        pain_point="",
        thought="Same price here and on the airline site; I'll book direct for the miles.",
        opportunity="Realised: fare feed synced every 5 minutes; 'best price direct' badge.",
    )
    up(
        G,
        "fare-page",
        emotion=1.0,
        evidence="assumed",
        pain_point="",
        opportunity="Realised: fare families compared side by side on the results page.",
    )
    up(
        G,
        "seat-extras",
        emotion=0.5,
        evidence="inferred",
        action="Picks an aisle seat; the bag is already in the 'Classic + bag' fare she chose.",
        thought="No surprises this time: the total is what I saw on the first screen.",
        pain_point="Seat prices (€8–€25) still appear only on the seat map.",
        opportunity="Realised: total price with bag shown from the first screen.",
        task_status="in_progress",
    )
    up(
        G,
        "payment",
        emotion=1.0,
        evidence="inferred",
        steps=2,
        action="Pays with the saved company card and confirms in her banking app.",
        thought="Two taps. Done before the call.",
        pain_point="",
        opportunity="Realised: saved cards, Apple Pay and Google Pay for members.",
    )
    up(
        G,
        "payment-error",
        emotion=-1.0,
        evidence="inferred",
        users=200,
        thought="Annoying, but my seat and details are still there.",
        pain_point="3-D Secure still times out for about 7 % of payers; the booking is held for 20 minutes.",
        opportunity="Realised: booking and passenger data kept; alternative payment offered on the error page.",
        task_status="in_progress",
    )
    up(
        G,
        "confirmation-email",
        emotion=1.5,
        pain_point="",
        opportunity="Realised: VAT invoice attached for company-card bookings.",
    )
    up(
        G,
        "mobile-checkin",
        emotion=1.5,
        steps=1,
        action="Is checked in automatically 30 hours before departure; the pass appears in her wallet.",
        thought="I didn't have to do anything.",
        pain_point="",
        opportunity="Realised: automatic check-in keeping the chosen seat.",
    )
    up(
        G,
        "web-checkin",
        emotion=0.5,
        users=300,
        pain_point="",
        opportunity="Realised: passport data pre-filled; pass sent to app and e-mail.",
    )
    up(
        G,
        "delay-notice",
        status="planned",
        emotion=1.0,
        evidence="assumed",
        users=550,
        action="Gets a WhatsApp message at 04:40: 'NW 412 delayed by 90 min. Rebook to 08:10 or keep your seat?'",
        thought="Thank you! I'll sleep another hour and tell the client now.",
        pain_point="",
        opportunity="Planned: delay alerts in WhatsApp and Telegram as soon as operations control knows.",
        physical_evidence="WhatsApp message with new departure time and rebooking buttons",
        frontstage="Messenger alert from the verified Northwind account",
        backstage="Operations control centre publishes the new estimated departure",
        support_processes="Flight operations system linked to CRM and the messaging platform",
    )
    up(
        G,
        "bag-drop",
        emotion=0.5,
        evidence="assumed",
        action="Tags her bag at a self-service kiosk and drops it in 3 minutes; an agent helps a family next to her.",
        thought="Three minutes. That's how it should be.",
        pain_point="Kiosks cannot take oversize items (sample case over 158 cm in some models).",
        opportunity="Realised: 4 self-service kiosks; agents freed for customers who need help.",
        physical_evidence="Self-service kiosk, printed bag tag, drop belt",
        frontstage="Kiosk screens; an agent floating between kiosks",
    )
    up(
        G,
        "security",
        emotion=0.0,
        pain_point="",
        opportunity="Realised: 'FAST TRACK' and tier printed on the mobile boarding pass.",
    )
    up(
        G,
        "boarding",
        emotion=0.5,
        pain_point="",
        action="Gets a push 'Gate changed to B44, 9 min walk' while in the lounge.",
        thought="Plenty of time.",
        opportunity="Realised: gate changes pushed with walking time.",
    )
    up(G, "inflight-service", emotion=1.8, opportunity="Realised: members pre-order their meal in the app.")
    up(
        G,
        "inflight-entertainment",
        emotion=1.0,
        pain_point="",
        opportunity="Realised: free messaging Wi-Fi for members; streaming as a paid tier.",
    )
    up(
        G,
        "paper-feedback-card",
        status="retired",
        users=0,
        opportunity="Retired: replaced by the one-tap rating in the app after landing.",
    )
    up(
        G,
        "baggage-claim",
        emotion=0.0,
        thought="The app says belt 7, 12 minutes. I'll get a coffee.",
        pain_point="Bags still take 25–40 minutes; now at least she knows when.",
        opportunity="Realised: bag tracking in the app with belt and ETA.",
    )
    up(
        G,
        "lost-baggage",
        emotion=-0.5,
        users=30,
        action="The app shows the bag missed the connection and will be delivered to her hotel by 20:00, with a €50 voucher.",
        thought="Annoying, but they told me first and sorted it.",
        pain_point="A missed bag is still a missed bag: the demo kit arrives only in the evening.",
        opportunity="Realised: proactive status, courier delivery within 24 h, voucher without asking.",
    )
    up(
        G,
        "survey-email",
        emotion=0.5,
        users=2715,
        action="Answers five questions that mention her delayed flight.",
        thought="Short, and they know what happened.",
        pain_point="",
        opportunity="Realised: five questions triggered by the trip's events.",
    )
    up(
        G,
        "review",
        emotion=1.0,
        users=140,
        pain_point="",
        opportunity="Realised: every review answered within a day by a named agent.",
        frontstage="Social care team answers publicly",
    )
    up(
        G,
        "loyalty-signup",
        emotion=1.8,
        users=420,
        pain_point="",
        opportunity="Realised: miles credited on landing; tier progress on the boarding pass.",
    )
    # New touchpoints the future journey needs.
    b.tp(
        "fare-calculator",
        "Transparent fare calculator",
        "interest",
        4.5,
        channel="website",
        category="product",
        status="planned",
        action="Ticks 'one checked bag' and 'aisle seat' once; every fare shows the full price for her trip.",
        thought="So Classic with a bag is €164 all in. Cheaper than it looked.",
        emotion=1.5,
        evidence="assumed",
        users=2700,
        key_touchpoint=True,
        opportunity="Planned: the price she sees first is the price she pays.",
        importance=5,
        owner="Head of e-commerce",
        task="Build the fare calculator into the results page",
        deadline="2027-03-31",
        task_status="todo",
        physical_evidence="Results page with 'total for your trip' per fare",
        frontstage="Booking engine results page",
        backstage="Ancillary prices exposed to the search results",
        support_processes="Booking engine, ancillary pricing engine",
        comments=[
            (
                "Dmitri P. (e-commerce)",
                "A/B test on 10 % of traffic in January; target +12 % fare-to-payment conversion.",
            )
        ],
    )
    b.tp(
        "bag-tracking",
        "Bag tracking in the app",
        "post_purchase",
        17.5,
        channel="mobile_app",
        category="technology",
        status="planned",
        action="Sees 'Your bag is on belt 7, expected 11:42' as soon as the aircraft parks.",
        thought="I know exactly how long I have.",
        emotion=1.0,
        evidence="assumed",
        users=1500,
        opportunity="Planned: bag scans from the handling agent pushed to the app.",
        owner="Mobile product manager",
        task="Show bag scan events in the trip card",
        deadline="2027-05-01",
        task_status="todo",
        physical_evidence="Trip card with bag status timeline",
        frontstage="App push and trip card",
        backstage="Handling agent scans bags at loading and at the belt",
        support_processes="Baggage reconciliation system, app backend",
    )
    b.tp(
        "in-app-rating",
        "One-tap rating in the app after landing",
        "retention",
        19.5,
        channel="mobile_app",
        category="communications",
        status="planned",
        action="Taps 4 stars and 'crew' as the best moment while waiting at the belt.",
        thought="Easy.",
        emotion=1.0,
        evidence="assumed",
        users=700,
        opportunity="Planned: replaces the paper card; answers reach the station manager the same day.",
        owner="CX analyst",
        task="Launch the in-app rating and route low scores to a callback",
        deadline="2027-02-28",
        task_status="todo",
        physical_evidence="Rating card in the app",
        frontstage="App prompt 10 minutes after landing",
        backstage="Low scores trigger a callback from customer relations within 48 h",
        support_processes="Survey tool linked to CRM and the app",
    )
    b.tp(
        "queue-times",
        "Live airport queue times in the app",
        "post_purchase",
        11.5,
        channel="mobile_app",
        category="technology",
        status="missing",
        action="Would like to see before leaving home how long the bag-drop and security queues are right now.",
        thought="If the bag drop has a 25-minute queue, I'll leave ten minutes earlier.",
        evidence="reported",
        pain_point="Not on the 2027 roadmap: the airport shares queue sensors, but nobody has asked for the feed.",
        opportunity="Show the airport's live queue times in the trip card on the day of travel.",
        importance=3,
        owner="Mobile product manager",
        task="Ask the airport operator for the queue-time feed",
        deadline="2027-04-30",
        task_status="todo",
        backstage="Airport operator measures queues with sensors",
        support_processes="Airport queue-time API (not connected)",
        comments=[
            (
                "Tom B. (ground operations)",
                "Raised in the future-state workshop: passengers ask at the desk every morning.",
            )
        ],
    )
    b.flow("mobile-checkin", "queue-times", 0, "wanted: queue times before leaving home")
    b.flow("queue-times", "bag-drop", 0, "")
    b.flow("fare-page", "fare-calculator", 2700, "sets bag and seat once")
    b.flow("fare-calculator", "seat-extras", 2600, "chooses a fare with the full price")
    b.flow("inflight-entertainment", "bag-tracking", 900, "opens the trip card on landing")
    b.flow("inflight-service", "bag-tracking", 600, "")
    b.flow("bag-tracking", "baggage-claim", 1500, "walks to the right belt")
    b.flow("delay-notice", "security", 300, "cabin bag only, arrives later")
    b.flow("baggage-claim", "in-app-rating", 700, "rates the trip")
    b.flow("in-app-rating", "loyalty-signup", 160, "")
    b.flow("review", "loyalty-signup", 40, "gets a public reply with 1,000 bonus miles")
    # Projected counts on the old transitions (higher conversion after the changes).
    _set_users(
        G,
        {
            ("ad-social", "aggregator-search"): 5000,
            ("ad-social", "fare-page"): 1700,
            ("friend-tip", "fare-page"): 800,
            ("friend-tip", "aggregator-search"): 300,
            ("aggregator-search", "fare-page"): 2600,
            ("fare-page", "seat-extras"): 900,
            ("seat-extras", "payment"): 3050,
            ("payment", "confirmation-email"): 2750,
            ("payment", "payment-error"): 200,
            ("payment-error", "payment"): 150,
            ("confirmation-email", "mobile-checkin"): 2300,
            ("confirmation-email", "web-checkin"): 300,
            ("confirmation-email", "bag-drop"): 150,
            ("mobile-checkin", "delay-notice"): 550,
            ("delay-notice", "bag-drop"): 250,
            ("mobile-checkin", "bag-drop"): 450,
            ("mobile-checkin", "security"): 1300,
            ("web-checkin", "bag-drop"): 150,
            ("web-checkin", "security"): 150,
            ("bag-drop", "security"): 1000,
            ("security", "boarding"): 2745,
            ("boarding", "inflight-service"): 2745,
            ("inflight-service", "inflight-entertainment"): 2100,
            ("inflight-service", "baggage-claim"): 45,
            ("inflight-entertainment", "paper-feedback-card"): 0,
            ("inflight-entertainment", "baggage-claim"): 1200,
            ("paper-feedback-card", "baggage-claim"): 0,
            ("baggage-claim", "lost-baggage"): 30,
            ("baggage-claim", "survey-email"): 2715,
            ("lost-baggage", "review"): 12,
            ("survey-email", "review"): 128,
            ("survey-email", "loyalty-signup"): 260,
            ("loyalty-signup", "fare-page"): 210,
        },
    )
    G.edges["delay-notice", "bag-drop"]["label"] = "arrives later, after the alert"
    G.edges["inflight-entertainment", "paper-feedback-card"]["label"] = "retired: replaced by the in-app rating"
    G.edges["mobile-checkin", "delay-notice"]["label"] = "gets a delay alert when the flight is late"
    # Node counts follow the projected transitions.
    for tp_id, users in {
        "ad-social": 10000,
        "friend-tip": 1100,
        "aggregator-search": 5300,
        "fare-page": 5100,
        "seat-extras": 3500,
        "payment": 3050,
        "confirmation-email": 2750,
        "mobile-checkin": 2300,
        "bag-drop": 1000,
        "security": 2750,
        "boarding": 2745,
        "inflight-service": 2745,
        "inflight-entertainment": 2100,
        "baggage-claim": 2745,
    }.items():
        G.nodes[tp_id]["users"] = users
    G.nodes["payment"]["comments"] = [
        {
            "author": "Anna K. (CX lead)",
            "text": "Target for Q2 2027: 90 % of payers finish on the first attempt.",
            "time": "2026-11-24T17:30:00+00:00",
        }
    ]
    return G


# ---------------------------------------------------------------------------------------------------
# 4. Airline — service blueprint (what delivers the current journey)
# ---------------------------------------------------------------------------------------------------

BLUEPRINT_STAGES = (
    ("search", "Search", "before_purchase"),
    ("book", "Book and pay", "purchase"),
    ("prepare", "Prepare", "after_purchase"),
    ("airport", "Airport", "after_purchase"),
    ("flight", "Flight", "after_purchase"),
    ("arrival", "Arrival", "after_purchase"),
    ("after_trip", "After the trip", "after_purchase"),
)


def airline_blueprint() -> nx.DiGraph:
    G = _new(
        "airline-blueprint",
        "Northwind Airways — service blueprint of a business trip",
        "service_blueprint",
        persona=AIRLINE_PERSONA,
        segment=AIRLINE_SEGMENT,
        created="2026-11-05T10:00:00+00:00",
        updated="2026-11-21T12:00:00+00:00",
        stages=BLUEPRINT_STAGES,
    )
    b = _Builder(G, comment_time="2026-11-19T15:00:00+00:00")
    b.tp(
        "fare-page",
        "Search and compare fares on the website",
        "search",
        1,
        channel="website",
        category="technology",
        emotion=0.5,
        evidence="observed",
        action="Searches Frankfurt–Madrid for Tuesday and compares Light, Classic and Flex.",
        thought="Which fare includes a bag?",
        pain_point="Fare conditions are in a PDF; baggage price not visible.",
        opportunity="Side-by-side fare table with the total for her trip.",
        physical_evidence="Results page, fare calendar, fare-conditions PDF",
        frontstage="Booking engine shows availability and fares in 1.8 s on average",
        backstage="Revenue management adjusts fare buckets several times a day; web team maintains content",
        support_processes="Inventory system, fare filing (ATPCO), booking engine, CDN",
    )
    b.tp(
        "seat-extras",
        "Choose seat and add a bag",
        "book",
        2,
        channel="website",
        category="product",
        emotion=-1.5,
        evidence="observed",
        key_touchpoint=True,
        action="Selects an aisle seat, adds a 23 kg bag; the total rises by €70.",
        thought="The price jumped at the end.",
        pain_point="Baggage fee shown only at step 5 of 7.",
        opportunity="Show the bag price from the first screen.",
        physical_evidence="Seat map, running total in the basket",
        frontstage="Upsell screens of the booking engine",
        backstage="Revenue management sets ancillary prices per route and season",
        support_processes="Seat map service, ancillary pricing engine, merchandising rules",
    )
    b.tp(
        "payment",
        "Pay by card",
        "book",
        3,
        channel="website",
        category="technology",
        emotion=-0.5,
        evidence="observed",
        conversion_point=True,
        key_touchpoint=True,
        action="Types the company card, confirms 3-D Secure on the phone.",
        thought="Please don't time out.",
        pain_point="No saved cards or wallets; 3-D Secure timeouts.",
        opportunity="Saved cards and wallet payments.",
        physical_evidence="Payment form, bank confirmation page, push from the bank",
        frontstage="Payment page",
        backstage="Fraud team rules score the transaction; finance reconciles settlements daily",
        support_processes="Payment gateway, acquiring bank, 3-D Secure directory, fraud scoring",
    )
    b.tp(
        "payment-error",
        "Payment declined, try again",
        "book",
        4,
        channel="website",
        category="technology",
        emotion=-2.0,
        evidence="observed",
        action="Sees 'payment failed', re-enters passenger details and pays again.",
        thought="Was I charged twice?",
        pain_point="Booking and entered data are dropped on failure.",
        opportunity="Hold the booking 20 minutes; keep entered data.",
        physical_evidence="Error banner; sometimes a pending charge in the banking app",
        frontstage="Error message and return to passenger details",
        backstage="Inventory releases the held seat immediately; pending authorisation voided by the bank after days",
        support_processes="Payment gateway, inventory hold rules, call-centre refund script",
    )
    b.tp(
        "confirmation-email",
        "Receive e-ticket",
        "book",
        5,
        channel="email",
        category="materials",
        emotion=1.0,
        evidence="observed",
        action="Reads the confirmation and forwards it to expenses.",
        thought="Quick. Where's the invoice?",
        pain_point="No VAT invoice attached.",
        opportunity="Attach the invoice for company-card bookings.",
        physical_evidence="Confirmation e-mail, e-ticket PDF with booking code",
        frontstage="Transactional e-mail sent within 60 s",
        backstage="Ticketing issues the e-ticket; CRM creates the trip record",
        support_processes="Ticketing system, e-mail service provider, CRM",
    )
    b.tp(
        "mobile-checkin",
        "Check in with the app",
        "prepare",
        6,
        channel="mobile_app",
        category="technology",
        emotion=1.0,
        evidence="observed",
        key_touchpoint=True,
        action="Checks in 24 h before, adds the pass to the phone wallet.",
        thought="Done in a minute.",
        pain_point="Check-in opens only 24 h before; easy to forget.",
        opportunity="Automatic check-in.",
        physical_evidence="App check-in screens, mobile boarding pass with QR code",
        frontstage="App check-in flow, push reminder",
        backstage="Departure control assigns seats, runs passenger data checks (APIS)",
        support_processes="Departure control system, APIS gateway, app backend, push service",
    )
    b.tp(
        "delay-sms",
        "Delay SMS on the day",
        "prepare",
        7,
        channel="phone",
        category="communications",
        emotion=-1.5,
        evidence="observed",
        action="Receives an SMS about a 90-minute delay 15 minutes before boarding time.",
        thought="Why only now?",
        pain_point="The SMS is triggered by the gate update, hours after operations knew.",
        opportunity="Alert from operations control straight to the messenger.",
        physical_evidence="SMS text with new departure time",
        frontstage="Automated SMS",
        backstage="Operations control centre re-plans the aircraft rotation; station updates the departure time",
        support_processes="Flight operations system, SMS gateway (no CRM link)",
    )
    b.tp(
        "bag-drop",
        "Drop the bag",
        "airport",
        8,
        channel="office",
        category="staff",
        emotion=-1.0,
        evidence="observed",
        key_touchpoint=True,
        action="Queues, hands over the bag, gets a receipt sticker.",
        thought="Long queue, kind agent.",
        pain_point="One desk open for three morning departures.",
        opportunity="Self-service bag drop; peak rostering.",
        physical_evidence="Counter signage, queue barriers, bag tag, receipt sticker",
        frontstage="Check-in agent (handling partner in the airline's uniform)",
        backstage="Baggage handlers sort and load; load control computes the weight and balance",
        support_processes="Departure control system, baggage reconciliation, staff rostering tool",
        importance=4,
        score=2,
        evaluated_by="mystery_shopper",
        owner="Ground operations manager, FRA",
        task="Roster a second agent 05:30–07:30",
        deadline="2026-12-01",
        task_status="in_progress",
    )
    b.tp(
        "lounge",
        "Wait in the lounge",
        "airport",
        9,
        channel="office",
        category="offices",
        emotion=1.5,
        evidence="reported",
        action="Has breakfast and works while waiting.",
        thought="Ten quiet minutes.",
        pain_point="Wi-Fi password on a paper sign only.",
        opportunity="Automatic Wi-Fi login from the app.",
        physical_evidence="Lounge interior, food counter, Wi-Fi sign, flight screens",
        frontstage="Lounge hosts check the boarding pass and tier",
        backstage="Lounge operator restocks food; flight information fed from the airport",
        support_processes="Lounge access control, airport flight information display system",
    )
    b.tp(
        "boarding",
        "Board at the gate",
        "airport",
        10,
        channel="office",
        category="business_processes",
        emotion=-1.0,
        evidence="reported",
        action="Walks to the gate, which moved; boards by bus.",
        thought="Why didn't the app tell me?",
        pain_point="Gate changes are not pushed to the app.",
        opportunity="Push gate changes with walking time.",
        physical_evidence="Gate signs, boarding-pass scanner, apron bus",
        frontstage="Gate agents call boarding groups and scan passes",
        backstage="Station control allocates gates; load control closes the flight",
        support_processes="Departure control system, airport gate management system",
    )
    b.tp(
        "inflight-service",
        "On-board food and drink",
        "flight",
        11,
        channel="other",
        category="staff",
        emotion=1.5,
        evidence="reported",
        action="Orders coffee and a sandwich; greeted by name.",
        thought="They know me.",
        pain_point="Favourite sandwich sold out by row 10.",
        opportunity="Pre-order meals in the app.",
        physical_evidence="Cabin, trolley, menu card, branded cups",
        frontstage="Cabin crew service round, personal greeting of tier members",
        backstage="Catering loads by forecast; crew briefing lists tier members",
        support_processes="Catering ordering system, crew app with passenger list, on-board sales",
    )
    b.tp(
        "inflight-entertainment",
        "Wi-Fi and entertainment",
        "flight",
        12,
        channel="other",
        category="product",
        emotion=0.5,
        evidence="inferred",
        action="Buys Wi-Fi for €12 to finish her slides.",
        thought="Steep for 2 hours.",
        pain_point="No member benefit on Wi-Fi.",
        opportunity="Free messaging Wi-Fi for members.",
        physical_evidence="Wi-Fi portal, seat-back card",
        frontstage="Wi-Fi portal and payment page",
        backstage="Connectivity provider operates the satellite link",
        support_processes="Wi-Fi provider billing, loyalty account lookup (not connected)",
    )
    b.tp(
        "baggage-claim",
        "Collect the bag",
        "arrival",
        13,
        channel="office",
        category="business_processes",
        emotion=-1.0,
        evidence="observed",
        action="Waits 35 minutes at the belt.",
        thought="I'll be late.",
        pain_point="No information where the bag is.",
        opportunity="Bag tracking in the app.",
        physical_evidence="Belt display, baggage hall signage",
        frontstage="Baggage hall (handling partner)",
        backstage="Handling agent unloads and delivers to the belt (SLA 25 min, not met on 40 % of flights)",
        support_processes="Baggage reconciliation system, SLA reporting",
    )
    b.tp(
        "lost-baggage",
        "Report a missing bag",
        "arrival",
        14,
        channel="phone",
        category="business_processes",
        emotion=-2.0,
        evidence="reported",
        key_touchpoint=True,
        action="Files a report at the desk, then calls the hotline twice.",
        steps=9,
        thought="Nobody knows where my bag is.",
        pain_point="40 minutes on hold; no proactive updates; no compensation offered.",
        opportunity="Proactive updates, courier within 24 h, voucher without asking.",
        physical_evidence="Property irregularity report with file number, hotline menu",
        frontstage="Lost-and-found desk agent, hotline agent",
        backstage="Baggage tracing team matches the bag in the tracer; courier booked by e-mail",
        support_processes="WorldTracer, call-centre software (no tracer access), courier contract",
        comments=[
            ("Lena S. (call centre)", "Give agents read access to the tracer: it would cut repeat calls by half.")
        ],
    )
    b.tp(
        "survey-email",
        "Answer the survey",
        "after_trip",
        15,
        channel="email",
        category="communications",
        emotion=-0.5,
        evidence="observed",
        action="Opens the 42-question survey and quits at question 14.",
        thought="Too long.",
        pain_point="Generic and long; 8 % response rate.",
        opportunity="Five questions triggered by trip events.",
        physical_evidence="Survey e-mail and web form",
        frontstage="Survey invitation the next morning",
        backstage="CX team reads results monthly",
        support_processes="Survey tool, CRM trip data export (weekly batch)",
    )
    b.tp(
        "loyalty-signup",
        "Miles credited",
        "after_trip",
        16,
        channel="mobile_app",
        category="business_processes",
        emotion=1.5,
        evidence="observed",
        conversion_point=True,
        action="Checks the miles and tier progress in the app.",
        thought="Four flights to gold.",
        pain_point="Miles take 10 days to appear.",
        opportunity="Credit miles on landing.",
        physical_evidence="Account screen with miles, tier bar",
        frontstage="Loyalty section of the app, monthly statement e-mail",
        backstage="Loyalty team reconciles flown coupons with revenue accounting",
        support_processes="Loyalty platform, revenue accounting, CRM",
    )
    for u, v, label in (
        ("fare-page", "seat-extras", "chooses a fare"),
        ("seat-extras", "payment", ""),
        ("payment", "payment-error", "declined or timed out"),
        ("payment-error", "payment", "retries"),
        ("payment", "confirmation-email", "paid"),
        ("confirmation-email", "mobile-checkin", ""),
        ("mobile-checkin", "delay-sms", "flight is late"),
        ("mobile-checkin", "bag-drop", "on time, has a bag"),
        ("mobile-checkin", "lounge", "on time, cabin bag only"),
        ("delay-sms", "bag-drop", ""),
        ("bag-drop", "lounge", ""),
        ("lounge", "boarding", ""),
        ("boarding", "inflight-service", ""),
        ("inflight-service", "inflight-entertainment", ""),
        ("inflight-entertainment", "baggage-claim", ""),
        ("baggage-claim", "lost-baggage", "bag missing"),
        ("baggage-claim", "survey-email", "next morning"),
        ("lost-baggage", "survey-email", ""),
        ("survey-email", "loyalty-signup", ""),
    ):
        b.flow(u, v, label=label)
    return G


# ---------------------------------------------------------------------------------------------------
# 5. Online shop — current state (Russian)
# ---------------------------------------------------------------------------------------------------

RU_STAGES = (
    ("awareness", "Осведомлённость", "before_purchase"),
    ("consideration", "Рассмотрение", "before_purchase"),
    ("interest", "Интерес", "before_purchase"),
    ("intent", "Намерение", "before_purchase"),
    ("purchase", "Покупка", "purchase"),
    ("post_purchase", "После покупки", "after_purchase"),
    ("retention", "Удержание", "after_purchase"),
    ("advocacy", "Рекомендации", "after_purchase"),
    ("loyalty", "Лояльность", "after_purchase"),
)
SHOP_PERSONA = {
    "name": "Ольга, мама двоих детей",
    "description": (
        "Ольга Смирнова, 34 года, экономист в банке, живёт в Казани. Покупает технику для дома онлайн, "
        "чаще всего вечером с телефона, когда дети уснули. Сейчас выбирает робот-пылесос: в доме кот и "
        "двое детей, на уборку не хватает времени."
    ),
    "goals": (
        "Купить надёжный робот-пылесос до 30 000 ₽, который справится с шерстью; понять, сколько стоят "
        "расходники; получить заказ в удобный вечерний интервал; не тратить время на регистрации и звонки."
    ),
    "demographics": (
        "34 года, замужем, двое детей (4 и 9 лет); доход семьи выше среднего по региону; 80 % покупок "
        "делает со смартфона; активна во ВКонтакте и в родительских чатах в Telegram."
    ),
    "psychographics": (
        "Доверяет отзывам и советам знакомых больше, чем рекламе; ценит скорость ответа; раздражается, "
        "когда навязывают рассылку или звонят без спроса; готова переплатить 5–7 % за сервис и гарантию."
    ),
}
SHOP_SEGMENT = "Семьи с детьми, покупки техники для дома с мобильного, регионы-миллионники"
SHOP_WORKSHOP = (
    "Анна (маркетинг)",
    "Игорь (продажи)",
    "Светлана (поддержка)",
    "Кирилл (ИТ)",
    "Марина (логистика)",
)


def shop_current() -> nx.DiGraph:
    G = _new(
        "shop-current",
        "Интернет-магазин «ДомТех»: покупка робота-пылесоса, текущее состояние",
        "current_state",
        persona=SHOP_PERSONA,
        segment=SHOP_SEGMENT,
        created="2026-11-03T07:00:00+00:00",
        updated="2026-11-23T13:20:00+00:00",
        stages=RU_STAGES,
        language="ru",
    )
    b = _Builder(
        G,
        participants=SHOP_WORKSHOP,
        vote_time="2026-11-17T08:30:00+00:00",
        comment_time="2026-11-17T09:10:00+00:00",
    )
    # --- Осведомлённость ----------------------------------------------------------------------------
    b.tp(
        "social-ad",
        "Таргетированная реклама во ВКонтакте",
        "awareness",
        1,
        channel="social",
        category="communications",
        action="Листает ленту вечером и видит ролик: робот-пылесос собирает шерсть кота, скидка 15 % до воскресенья.",
        thought="Как раз то, что нужно. Но 15 % от какой цены?",
        emotion=0.5,
        evidence="observed",
        users=25000,
        pain_point="В объявлении нет цены; по клику открывается главная страница, а не карточка товара.",
        opportunity="Вести рекламу сразу на карточку товара с ценой и наличием в её городе.",
        physical_evidence="Рекламный ролик 15 секунд",
        frontstage="Рекламный кабинет ВКонтакте",
        backstage="Маркетолог настраивает аудитории раз в неделю",
        support_processes="Рекламный кабинет, фид товаров",
    )
    b.tp(
        "qr-flyer",
        "QR-код на листовке в пункте выдачи",
        "awareness",
        2,
        channel="print",
        category="materials",
        action="Забирает посылку в пункте выдачи, берёт листовку и сканирует QR-код телефоном.",
        thought="Интересно, у них есть пункт в моём районе?",
        emotion=0.0,
        evidence="inferred",
        users=1800,
        pain_point="QR-код ведёт на главную страницу без мобильной вёрстки акции; нет метки, откуда пришёл клиент.",
        opportunity="QR-код с меткой кампании ведёт на подборку товаров со скидкой для пунктов выдачи.",
        physical_evidence="Листовка А6 с QR-кодом",
        backstage="Печать 5 000 листовок в месяц",
    )
    b.tp(
        "friend-tip",
        "Совет подруги в родительском чате",
        "awareness",
        3,
        channel="word_of_mouth",
        category="communications",
        action="Спрашивает в чате класса, какой пылесос взять; подруга советует магазин, где купила себе.",
        thought="Лена плохого не посоветует.",
        emotion=1.5,
        evidence="reported",
        users=900,
        opportunity="Реферальная ссылка: подруге 500 бонусов, Ольге скидка 500 ₽ на первый заказ.",
        physical_evidence="Сообщение в Telegram со ссылкой",
    )
    # --- Рассмотрение -------------------------------------------------------------------------------
    b.tp(
        "search",
        "Поиск в Яндексе: «робот-пылесос для шерсти»",
        "consideration",
        4,
        channel="website",
        category="technology",
        action="Ищет модели и обзоры, открывает четыре вкладки с магазинами.",
        steps=4,
        thought="Везде одни и те же модели, отличие только в цене и доставке.",
        emotion=0.0,
        evidence="observed",
        users=9000,
        pain_point="В сниппете магазина нет цены и срока доставки; конкуренты показывают и то и другое.",
        opportunity="Микроразметка товара с ценой, наличием и сроком доставки.",
        physical_evidence="Страница поисковой выдачи",
        backstage="SEO-специалист обновляет мета-теги раз в квартал",
        support_processes="CMS сайта, фид для поисковика",
    )
    b.tp(
        "marketplace",
        "Сравнение цен на маркетплейсе",
        "consideration",
        5,
        channel="website",
        category="product",
        action="Находит ту же модель на маркетплейсе на 1 200 ₽ дешевле, но с доставкой через 6 дней.",
        thought="Дешевле, но ждать неделю и гарантия непонятно чья.",
        votes=(0, -1, -1, 0, -1),
        pain_point="Цена на сайте выше маркетплейса на 5 %, а преимущества (гарантия 2 года, доставка завтра) не видны.",
        opportunity="Показать на карточке: «Доставим завтра, официальная гарантия 2 года, установка бесплатно».",
        evidence="observed",
        users=6000,
        physical_evidence="Карточка товара на маркетплейсе",
        backstage="Категорийный менеджер мониторит цены конкурентов раз в неделю",
        support_processes="Парсер цен, учётная система",
    )
    # --- Интерес ------------------------------------------------------------------------------------
    b.tp(
        "view-product",
        "Просмотр товара",
        "interest",
        6,
        channel="website",
        category="product",
        action="Открывает карточку робота-пылесоса «Чистюля X7» за 24 990 ₽, смотрит фото и характеристики.",
        thought="Подходит по цене. А справится ли с ковром в детской?",
        emotion=0.5,
        evidence="observed",
        users=12000,
        key_touchpoint=True,
        pain_point="Нет видео работы на ковре и с шерстью; характеристики скопированы у производителя без пояснений.",
        opportunity="Короткое видео «кот + ковёр» и блок «подойдёт, если у вас…».",
        importance=5,
        score=3,
        evaluated_by="expert",
        evaluation_note="Юзабилити-аудит: на мобильном кнопка «В корзину» ниже первого экрана.",
        owner="Руководитель интернет-магазина",
        task="Закрепить кнопку «В корзину» внизу экрана на мобильном",
        deadline="2026-11-10",
        task_status="done",
        physical_evidence="Карточка товара: фото, цена, характеристики, кнопка «В корзину»",
        frontstage="Сайт магазина",
        backstage="Контент-менеджер заполняет карточки",
        support_processes="CMS, PIM, учётная система (остатки)",
    )
    b.tp(
        "reviews-page",
        "Страница отзывов",
        "interest",
        7,
        channel="website",
        category="communications",
        action="Читает 38 отзывов; в трёх жалобах на доставку магазин не ответил.",
        thought="Сам пылесос хвалят, а вот доставку ругают. И магазин молчит.",
        emotion=0.0,
        evidence="observed",
        users=4800,
        pain_point="На отрицательные отзывы нет ответов магазина; нельзя отфильтровать отзывы владельцев животных.",
        opportunity="Фильтр отзывов «есть животные»; публичные ответы на каждый отзыв.",
        physical_evidence="Список отзывов со звёздами и фото",
        frontstage="Блок отзывов на сайте",
        backstage="Модерация отзывов раз в 3 дня",
        support_processes="Модуль отзывов CMS",
    )
    b.tp(
        "subscription-popup",
        "Окно подписки со скидкой 5 %",
        "interest",
        6.5,
        channel="website",
        category="communications",
        conversion_point=True,
        action="Через 3 секунды на карточке всплывает окно «Подпишитесь и получите 5 %»; закрывает его.",
        steps=1,
        thought="Дайте сначала посмотреть товар!",
        votes=(-1, 0, -1, -1, -2),
        pain_point=(
            "Окно закрывает карточку на мобильном, крестик мелкий: подписались лишь 4,5 % увидевших, "
            "а каждый четвёртый закрывает вкладку вместе с окном."
        ),
        opportunity="Показывать окно при попытке уйти или после добавления в корзину; понятная выгода.",
        evidence="observed",
        users=9600,
        importance=3,
        score=2,
        evaluated_by="customer",
        owner="Маркетолог по e-mail",
        task="Показывать окно подписки только при уходе со страницы",
        deadline="2026-10-20",
        task_status="todo",
        physical_evidence="Всплывающее окно с полем e-mail",
        frontstage="Поп-ап на сайте",
        backstage="Адреса уходят в сервис рассылок",
        support_processes="Сервис e-mail рассылок",
    )
    # --- Намерение ----------------------------------------------------------------------------------
    b.tp(
        "online-consultant",
        "Онлайн-консультант на сайте",
        "intent",
        9,
        channel="messenger",
        category="staff",
        action="Спрашивает в чате, справится ли модель с шерстью мейн-куна. Ответ через 4 минуты, вежливый и по делу.",
        steps=3,
        thought="Быстро ответили, и без шаблона. Это приятно.",
        votes=(1, 2, 1, 1, 1),
        pain_point="Чат работает только с 9 до 18; вечером, когда Ольга выбирает, отвечает бот с формой.",
        opportunity="Вечерняя смена консультантов до 23:00 — пик мобильного трафика 20:00–23:00.",
        evidence="observed",
        users=1200,
        key_touchpoint=True,
        importance=5,
        score=4,
        evaluated_by="mystery_shopper",
        evaluation_note="Тайный покупатель: 8 обращений днём, медиана ответа 3,5 минуты; вечером ответа нет.",
        owner="Руководитель службы поддержки",
        task="Ввести вечернюю смену консультантов до 23:00",
        deadline="2027-01-15",
        task_status="in_progress",
        physical_evidence="Окно чата с фото консультанта",
        frontstage="Консультант в чате",
        backstage="Консультант сверяет наличие и совместимость в базе",
        support_processes="Чат-платформа, учётная система, база знаний",
    )
    b.tp(
        "question-form",
        "Форма вопроса о товаре",
        "intent",
        10,
        channel="website",
        category="business_processes",
        action="Вечером оставляет вопрос через форму: какие щётки подходят и сколько они стоят.",
        steps=5,
        thought="Ответят завтра? Или никогда?",
        votes=(-2, -1, -2, -1, -2),
        pain_point=(
            "Ответ пришёл через 26 часов, когда Ольга уже купила у конкурента. Проверка «тайным "
            "покупателем»: из 10 вопросов через форму лишь 2 получили ответ за 10 минут в рабочее время."
        ),
        opportunity="Ответ на вопрос с формы за 15 минут в рабочее время; автоответ со сроком ответа.",
        evidence="observed",
        users=450,
        importance=4,
        score=1,
        evaluated_by="mystery_shopper",
        evaluation_note="10 вопросов в разное время: 2 ответа за 10 минут, 5 — на следующий день, 3 — без ответа.",
        owner="Руководитель службы поддержки",
        task="Направлять вопросы с формы в очередь чата с SLA 15 минут",
        deadline="2026-11-15",
        task_status="in_progress",
        physical_evidence="Форма: имя, телефон, e-mail, вопрос",
        frontstage="Письмо с ответом на e-mail",
        backstage="Вопросы падают в общий ящик, разбираются раз в день",
        support_processes="Почтовый ящик info@, без учёта сроков ответа",
        comments=[("Светлана (поддержка)", "Ящик info@ разбирает один человек, в нём же счета от поставщиков.")],
    )
    b.tp(
        "messenger-consult",
        "Консультация в Telegram и WhatsApp",
        "intent",
        11,
        channel="messenger",
        category="technology",
        status="missing",
        action="Хотела бы написать магазину в Telegram, где она и так проводит вечер, и получить ответ с фото.",
        thought="Почему я должна сидеть в окне чата на сайте и ждать?",
        emotion=None,
        evidence="reported",
        pain_point="Магазин продвигается только во ВКонтакте, а аудитория общается в Telegram и WhatsApp: точки контакта нет.",
        opportunity="Единая очередь обращений из сайта, Telegram и WhatsApp с историей переписки.",
        key_touchpoint=True,
        importance=5,
        owner="Руководитель службы поддержки",
        task="Подключить Telegram и WhatsApp к чат-платформе",
        deadline="2027-02-01",
        task_status="todo",
        comments=[("Анна (маркетинг)", "В опросе 61 % покупателей назвали Telegram удобным каналом для вопросов.")],
    )
    b.tp(
        "price-list-form",
        "Запрос прайс-листа на расходники",
        "intent",
        12,
        channel="email",
        category="materials",
        action="Заполняет форму «Получить прайс-лист», чтобы узнать цену щёток и фильтров на год.",
        steps=4,
        thought="Сколько мне будет стоить этот пылесос через год?",
        emotion=-0.5,
        evidence="inferred",
        users=120,
        pain_point="Прайс приходит на следующий день в виде таблицы на 40 страниц без поиска.",
        opportunity="Блок «Стоимость владения в год» прямо на карточке товара.",
        physical_evidence="Файл Excel в письме",
        frontstage="Письмо менеджера",
        backstage="Менеджер выгружает прайс вручную",
        support_processes="Учётная система",
    )
    b.tp(
        "contact-details",
        "Контактная информация: телефон в подвале сайта",
        "intent",
        13,
        channel="phone",
        category="communications",
        action="Ищет телефон, находит его только в подвале сайта, звонит — попадает на автоответчик.",
        steps=3,
        thought="Неужели никто не берёт трубку в 19:30?",
        emotion=-1.0,
        evidence="observed",
        users=350,
        pain_point="Телефон спрятан; после 18:00 автоответчик без возможности оставить номер для обратного звонка.",
        opportunity="Телефон в шапке мобильной версии; заказ обратного звонка на удобное время.",
        physical_evidence="Подвал сайта, голосовое меню",
        frontstage="Автоответчик",
        backstage="Офис продаж работает до 18:00",
        support_processes="Виртуальная АТС",
    )
    b.tp(
        "add-to-cart",
        "Добавление в корзину",
        "intent",
        14,
        channel="website",
        category="technology",
        action="Нажимает «В корзину», добавляет запасной набор щёток за 1 490 ₽.",
        steps=1,
        thought="Беру. Осталось оформить.",
        emotion=1.0,
        evidence="observed",
        users=3100,
        pain_point="В корзине не видна дата доставки; промокод из рассылки применяется только после регистрации.",
        opportunity="Показывать дату доставки и итоговую цену с промокодом прямо в корзине.",
        physical_evidence="Корзина с товарами и суммой",
        frontstage="Страница корзины",
        backstage="Резерв товара на складе на 30 минут",
        support_processes="Учётная система, склад",
    )
    # --- Покупка ------------------------------------------------------------------------------------
    b.tp(
        "checkout",
        "Оформление заказа: обязательная регистрация",
        "purchase",
        15,
        channel="website",
        category="business_processes",
        action="Заполняет 11 полей, придумывает пароль, ждёт СМС-код; галочка подписки на рассылку уже стоит.",
        steps=11,
        thought="Зачем мне аккаунт ради одного пылесоса? И рассылку я не просила.",
        votes=(-2, -1, -2, -2, -1),
        pain_point=(
            "Сложная регистрация: 11 полей и СМС-код, нельзя оформить как гость; подписка на рассылку "
            "включена по умолчанию. 32 % начавших оформление уходят на этом шаге."
        ),
        opportunity="Оформление без регистрации (телефон + адрес), подписка только по желанию.",
        evidence="observed",
        users=2200,
        key_touchpoint=True,
        importance=5,
        score=1,
        evaluated_by="customer",
        evaluation_note="Вебвизор: медиана заполнения 4 минуты 10 секунд; 18 % ошибок в поле «Индекс».",
        owner="Продакт-менеджер сайта",
        task="Запустить оформление заказа без регистрации",
        deadline="2026-11-01",
        task_status="in_progress",
        physical_evidence="Форма оформления из 11 полей, СМС с кодом",
        frontstage="Страница оформления заказа",
        backstage="Создание учётной записи в CRM",
        support_processes="CRM, СМС-шлюз, сервис рассылок",
        comments=[
            ("Кирилл (ИТ)", "Гостевое оформление требует доработки CRM: заказ без учётной записи сейчас не создаётся."),
            ("Игорь (продажи)", "Каждый третий брошенный заказ — на этом шаге, это около 700 заказов в месяц."),
        ],
    )
    b.tp(
        "payment",
        "Форма оплаты",
        "purchase",
        16,
        channel="website",
        category="technology",
        conversion_point=True,
        action="Выбирает оплату картой, переходит на страницу банка, вводит данные карты и код из СМС.",
        steps=4,
        thought="Нет СБП и рассрочки? Ладно, оплачу картой.",
        votes=(0, -1, -1, 0, -1),
        pain_point="Нет СБП, оплаты долями и сохранённой карты; страница банка не адаптирована под телефон.",
        opportunity="СБП, «Долями», сохранённая карта; оплата без ухода со страницы.",
        evidence="observed",
        users=1500,
        key_touchpoint=True,
        importance=5,
        score=2,
        evaluated_by="expert",
        owner="Продакт-менеджер сайта",
        task="Подключить СБП и оплату долями",
        deadline="2026-12-20",
        task_status="todo",
        physical_evidence="Платёжная страница банка",
        frontstage="Форма оплаты",
        backstage="Банк-эквайер проверяет платёж",
        support_processes="Платёжный шлюз, эквайринг",
    )
    b.tp(
        "payment-failed",
        "Оплата не прошла",
        "purchase",
        17,
        channel="website",
        category="technology",
        action="Банк отклоняет платёж по лимиту; сайт возвращает её в корзину, все данные надо вводить заново.",
        steps=6,
        thought="Опять всё заполнять? Может, проще на маркетплейсе.",
        emotion=-2.0,
        evidence="observed",
        users=250,
        pain_point="После отказа заказ не сохраняется; нет подсказки, почему отказ и чем ещё можно оплатить.",
        opportunity="Сохранять заказ 24 часа; предлагать СБП или оплату при получении.",
        physical_evidence="Сообщение «Платёж отклонён»",
        frontstage="Возврат в корзину",
        backstage="Резерв товара снимается",
        support_processes="Платёжный шлюз, учётная система",
    )
    b.tp(
        "order-confirmed",
        "Заказ подтверждён: письмо и СМС",
        "purchase",
        18,
        channel="email",
        category="materials",
        action="Получает письмо с номером заказа и СМС: «Заказ принят».",
        thought="Хорошо. А когда привезут?",
        emotion=1.0,
        evidence="observed",
        users=1150,
        pain_point="В письме нет даты и интервала доставки: «с вами свяжется менеджер».",
        opportunity="Дата и интервал доставки в письме; ссылка на отслеживание.",
        physical_evidence="Письмо и СМС с номером заказа",
        frontstage="Автоматическое письмо",
        backstage="Менеджер подтверждает заказ вручную в течение дня",
        support_processes="CRM, сервис рассылок, СМС-шлюз",
    )
    # --- После покупки ------------------------------------------------------------------------------
    b.tp(
        "delivery-notifications",
        "Уведомления о доставке",
        "post_purchase",
        19,
        channel="phone",
        category="communications",
        action="Получает СМС «Передан в службу доставки», потом два дня тишины.",
        thought="Где мой заказ? Статус не меняется.",
        votes=(-1, -1, -2, 0, -1),
        pain_point="Статус не обновляется 2 дня; ссылка отслеживания ведёт на сайт службы доставки без номера заказа.",
        opportunity="Статусы на каждом шаге и карта с курьером в день доставки.",
        evidence="observed",
        users=1150,
        physical_evidence="СМС со статусом",
        frontstage="СМС-уведомления",
        backstage="Склад передаёт заказ в службу доставки",
        support_processes="Интеграция со службой доставки (обмен раз в сутки)",
    )
    b.tp(
        "courier",
        "Доставка курьером",
        "post_purchase",
        20,
        channel="courier",
        category="staff",
        action="Курьер звонит за 15 минут, приезжает в 14:00, хотя Ольга просила вечер; соседка забирает коробку.",
        thought="Я же просила после 18:00!",
        emotion=-1.0,
        evidence="reported",
        users=1130,
        key_touchpoint=True,
        pain_point="Нельзя выбрать интервал доставки; курьер не может принять оплату картой.",
        opportunity="Выбор 3-часового интервала при оформлении; «подарок, если опоздаем».",
        importance=4,
        score=2,
        evaluated_by="customer",
        owner="Руководитель логистики",
        task="Интервалы доставки 18–21 и 21–23 в Казани",
        deadline="2026-12-01",
        task_status="todo",
        physical_evidence="Коробка с логотипом, накладная, курьер в форме службы доставки",
        frontstage="Курьер службы доставки",
        backstage="Служба доставки строит маршрут утром",
        support_processes="Договор со службой доставки, маршрутизация",
        comments=[("Марина (логистика)", "Служба доставки готова дать вечерние интервалы за +60 ₽ за заказ.")],
    )
    # --- Удержание ----------------------------------------------------------------------------------
    b.tp(
        "feedback-form",
        "Форма обратной связи: жалоба на доставку",
        "retention",
        21,
        channel="website",
        category="business_processes",
        action="Пишет через форму обратной связи, что курьер приехал не вовремя.",
        steps=4,
        thought="Хоть извинятся?",
        emotion=-1.5,
        evidence="reported",
        users=70,
        pain_point="Ответ через 2 дня шаблонным письмом без извинения и решения.",
        opportunity="Ответ в течение часа, извинение и компенсация бонусами без запроса клиента.",
        physical_evidence="Форма на странице «Контакты»",
        frontstage="Шаблонное письмо",
        backstage="Обращения разбирает тот же сотрудник, что и вопросы с формы",
        support_processes="Почтовый ящик info@",
    )
    b.tp(
        "review-request",
        "Письмо с просьбой оставить отзыв",
        "retention",
        22,
        channel="email",
        category="communications",
        action="Через 3 дня после доставки получает письмо «Оцените покупку».",
        thought="Пылесос отличный, напишу пару слов.",
        emotion=0.5,
        evidence="observed",
        users=1100,
        pain_point="Письмо ведёт на общую страницу отзывов, нужно снова входить в аккаунт.",
        opportunity="Отзыв в один клик из письма, без входа; бонусы за отзыв с фото.",
        physical_evidence="Письмо со звёздами",
        frontstage="Автоматическое письмо",
        backstage="Триггер в сервисе рассылок",
        support_processes="Сервис рассылок, модуль отзывов",
    )
    b.tp(
        "review-replies",
        "Ответы магазина на отзывы",
        "retention",
        23,
        channel="website",
        category="communications",
        status="missing",
        action="Оставила отзыв с оценкой 3 из-за доставки и ждёт, что магазин ответит.",
        thought="Им вообще интересно, что я пишу?",
        emotion=None,
        evidence="observed",
        pain_point="Магазин не отвечает ни на сайте, ни на маркетплейсе: 0 ответов на 214 отзывов за полгода.",
        opportunity="Отвечать на каждый отзыв в течение суток; на негативный — с решением.",
        importance=4,
        owner="Руководитель службы поддержки",
        task="Регламент ответов на отзывы за 24 часа",
        deadline="2026-11-30",
        task_status="todo",
    )
    b.tp(
        "newsletter",
        "Еженедельная рассылка",
        "retention",
        24,
        channel="email",
        category="communications",
        action="Получает три письма в неделю про телевизоры и смартфоны; через месяц отписывается.",
        thought="Мне это неинтересно. Отписаться!",
        emotion=-0.5,
        evidence="observed",
        users=2100,
        pain_point="Рассылка не учитывает покупки; отписка 2,8 % в месяц; жалобы на спам растут.",
        opportunity="Письма по покупкам: напоминание о замене фильтра через 3 месяца, аксессуары.",
        physical_evidence="Письма с подборками товаров",
        frontstage="E-mail рассылка",
        backstage="Маркетолог собирает письмо из акций недели",
        support_processes="Сервис рассылок без данных о заказах",
    )
    # --- Рекомендации -------------------------------------------------------------------------------
    b.tp(
        "share-button",
        "Кнопка «Поделиться»",
        "advocacy",
        25,
        channel="social",
        category="technology",
        action="Хочет отправить подруге ссылку на пылесос в Telegram, но кнопка предлагает только ВКонтакте и «Одноклассники».",
        thought="Скопирую ссылку вручную.",
        emotion=0.0,
        evidence="inferred",
        users=60,
        pain_point="Нет Telegram и WhatsApp среди кнопок; ссылка без реферальной метки.",
        opportunity="Кнопки мессенджеров и реферальная ссылка с бонусом обоим.",
        physical_evidence="Иконки соцсетей на карточке товара",
        frontstage="Кнопки на сайте",
        support_processes="Виджет соцсетей",
    )
    # --- Лояльность ---------------------------------------------------------------------------------
    b.tp(
        "loyalty",
        "Бонусная программа",
        "loyalty",
        26,
        channel="website",
        category="business_processes",
        action="Видит 1 250 бонусов в личном кабинете; списать можно только 10 % от следующего заказа.",
        thought="Бонусы есть, а потратить сложно. Но фильтры куплю здесь.",
        emotion=0.5,
        evidence="reported",
        users=310,
        pain_point="Бонусы сгорают через 90 дней, о чём не предупреждают; правила списания спрятаны.",
        opportunity="Напоминание о сгорании бонусов; списание до 30 % на расходники.",
        importance=3,
        score=3,
        evaluated_by="self",
        owner="Маркетолог CRM",
        task="Письмо-напоминание за 14 дней до сгорания бонусов",
        deadline="2027-01-31",
        task_status="todo",
        physical_evidence="Личный кабинет с балансом бонусов",
        frontstage="Личный кабинет",
        backstage="Начисление бонусов после закрытия заказа",
        support_processes="Модуль лояльности CRM",
    )

    for u, v, users, label in (
        ("social-ad", "view-product", 5200, "клик по объявлению"),
        ("qr-flyer", "view-product", 600, "сканирует QR-код"),
        ("friend-tip", "search", 500, "ищет магазин по названию"),
        ("friend-tip", "view-product", 300, "переходит по ссылке из чата"),
        ("search", "view-product", 4100, "переход из поиска"),
        ("search", "marketplace", 3000, "сравнивает цены"),
        ("marketplace", "view-product", 1800, "возвращается в магазин"),
        # the pop-up stands between the product and everything else: whoever stays 3 s meets it
        ("view-product", "subscription-popup", 9600, "остаётся на странице дольше 3 секунд"),
        ("subscription-popup", "newsletter", 430, "оставляет e-mail ради скидки"),
        ("subscription-popup", "reviews-page", 4800, "закрывает окно, читает отзывы"),
        ("subscription-popup", "online-consultant", 500, "закрывает окно, пишет в чат"),
        ("subscription-popup", "question-form", 150, "закрывает окно, задаёт вопрос через форму"),
        ("subscription-popup", "messenger-consult", 0, "хотела бы написать в мессенджер — канала нет"),
        ("subscription-popup", "price-list-form", 120, "закрывает окно, запрашивает прайс"),
        ("subscription-popup", "contact-details", 350, "закрывает окно, ищет телефон"),
        ("subscription-popup", "add-to-cart", 700, "закрывает окно и сразу кладёт в корзину"),
        ("reviews-page", "online-consultant", 700, "уточняет в чате"),
        ("reviews-page", "question-form", 300, "задаёт вопрос через форму"),
        ("reviews-page", "add-to-cart", 1860, "убедили отзывы"),
        ("online-consultant", "add-to-cart", 420, "консультант помог"),
        ("question-form", "add-to-cart", 30, "дождалась ответа"),
        ("messenger-consult", "add-to-cart", 0, ""),
        ("price-list-form", "add-to-cart", 50, ""),
        ("contact-details", "add-to-cart", 40, "дозвонилась днём"),
        ("add-to-cart", "checkout", 2200, "переходит к оформлению"),
        ("checkout", "payment", 1500, "заполнила все поля"),
        ("payment", "order-confirmed", 1150, "оплата прошла"),
        ("payment", "payment-failed", 250, "банк отклонил платёж"),
        ("payment-failed", "add-to-cart", 110, "возвращается в корзину и пробует снова"),
        ("order-confirmed", "delivery-notifications", 1150, ""),
        ("delivery-notifications", "courier", 1130, ""),
        ("courier", "review-request", 1100, "письмо через 3 дня"),
        ("courier", "feedback-form", 70, "жалуется на опоздание"),
        ("feedback-form", "review-replies", 0, "ждёт ответа"),
        ("review-request", "review-replies", 0, "оставила отзыв и ждёт ответа"),
        ("review-request", "share-button", 60, "делится ссылкой"),
        ("review-request", "loyalty", 310, "заходит в личный кабинет"),
        ("loyalty", "newsletter", 120, "читает письма для участников программы"),
        ("newsletter", "view-product", 240, "повторная покупка по письму"),
    ):
        b.flow(u, v, users, label)
    return G


# ---------------------------------------------------------------------------------------------------
# 6. Online shop — future state (Russian; baseline: shop-current; same touchpoint ids)
# ---------------------------------------------------------------------------------------------------


def shop_future(current: nx.DiGraph) -> nx.DiGraph:
    G = _derive(
        current,
        "shop-future",
        "Интернет-магазин «ДомТех»: покупка робота-пылесоса, целевое состояние 2027",
        "future_state",
        created="2026-11-18T07:30:00+00:00",
        updated="2026-11-25T15:00:00+00:00",
        baseline_id="shop-current",
    )
    _clear_workshop(G)
    b = _Builder(G, comment_time="2026-11-25T14:40:00+00:00")
    # The pop-up shows only on exit intent, so it no longer stands between the product and the cart.
    for target, label in (
        ("reviews-page", "читает отзывы"),
        ("online-consultant", "пишет в чат"),
        ("question-form", "задаёт вопрос через форму"),
        ("messenger-consult", "пишет в Telegram"),
        ("price-list-form", "выведено: стоимость владения на карточке"),
        ("contact-details", "ищет телефон"),
        ("add-to-cart", "кладёт в корзину"),
    ):
        G.remove_edge("subscription-popup", target)
        G.add_edge("view-product", target, users=None, label=label)
    G.edges["view-product", "subscription-popup"]["label"] = "собирается уйти — окно при уходе"
    b.flow("subscription-popup", "add-to-cart", 300, "возвращается с промокодом 5 %")
    up = _update
    up(
        G,
        "social-ad",
        emotion=1.0,
        evidence="assumed",
        pain_point="",
        thought="24 990 ₽ со скидкой, доставка завтра. Посмотрю.",
        opportunity="Реализовано: реклама ведёт на карточку товара с ценой и наличием в городе.",
    )
    up(
        G,
        "qr-flyer",
        emotion=0.5,
        pain_point="",
        opportunity="Реализовано: QR-код с меткой кампании ведёт на подборку со скидкой для пунктов выдачи.",
    )
    up(G, "friend-tip", opportunity="Реализовано: реферальная ссылка, 500 бонусов подруге и скидка 500 ₽ Ольге.")
    up(G, "search", emotion=0.5, pain_point="", opportunity="Реализовано: в сниппете цена, наличие и срок доставки.")
    up(
        G,
        "marketplace",
        emotion=0.5,
        evidence="inferred",
        thought="На маркетплейсе дешевле на 1 200 ₽, но в магазине завтра и гарантия 2 года. Беру в магазине.",
        pain_point="Цена всё ещё выше маркетплейса на 5 %.",
        opportunity="Реализовано: преимущества магазина показаны рядом с ценой.",
    )
    up(
        G,
        "view-product",
        emotion=1.0,
        pain_point="",
        task_status="done",
        opportunity="Реализовано: видео «кот + ковёр», блок «Стоимость владения в год» вместо запроса прайс-листа.",
    )
    up(
        G,
        "reviews-page",
        emotion=1.0,
        pain_point="",
        thought="Магазин отвечает даже на плохие отзывы — значит, не бросят с проблемой.",
        opportunity="Реализовано: фильтр «есть животные» и ответы магазина на каждый отзыв.",
    )
    up(
        G,
        "subscription-popup",
        emotion=0.0,
        users=3000,
        task_status="done",
        action="Окно подписки появляется, только когда она уходит со страницы; подписывается ради подборки для владельцев кошек.",
        thought="Ладно, подборка про шерсть мне правда пригодится.",
        pain_point="",
        opportunity="Реализовано: окно при уходе со страницы с понятной выгодой; подписка 20 % увидевших.",
    )
    up(
        G,
        "online-consultant",
        emotion=1.5,
        users=1200,
        pain_point="",
        task_status="done",
        opportunity="Реализовано: консультанты отвечают до 23:00.",
    )
    up(
        G,
        "question-form",
        emotion=0.5,
        users=200,
        action="Задаёт вопрос через форму и сразу получает автоответ: «Ответим до 20:15».",
        thought="Понятно, когда ждать.",
        pain_point="Ответ всё ещё по e-mail, а не в удобном мессенджере.",
        opportunity="Реализовано: вопросы с формы в очереди чата, ответ за 15 минут.",
        task_status="done",
    )
    up(
        G,
        "messenger-consult",
        status="planned",
        emotion=1.5,
        evidence="assumed",
        users=900,
        action="Пишет магазину в Telegram, консультант присылает видео, как модель чистит ковёр с шерстью.",
        thought="Удобно, и ответ остаётся в переписке.",
        pain_point="",
        opportunity="Запланировано: Telegram и WhatsApp в единой очереди с чатом сайта.",
        physical_evidence="Переписка в Telegram с видео",
        frontstage="Консультант в мессенджере",
        backstage="Единая очередь обращений с историей клиента",
        support_processes="Чат-платформа с интеграцией Telegram и WhatsApp, CRM",
    )
    up(
        G,
        "price-list-form",
        status="retired",
        users=0,
        opportunity="Выведено: стоимость расходников на год теперь прямо на карточке товара.",
    )
    up(
        G,
        "contact-details",
        emotion=0.5,
        users=250,
        pain_point="",
        action="Нажимает телефон в шапке мобильной версии; вечером заказывает обратный звонок на 10:00.",
        opportunity="Реализовано: телефон в шапке, заказ обратного звонка на удобное время.",
    )
    up(
        G,
        "add-to-cart",
        emotion=1.5,
        users=3900,
        pain_point="",
        thought="Привезут завтра с 19 до 22, промокод уже учтён.",
        opportunity="Реализовано: дата доставки и итоговая цена с промокодом в корзине.",
    )
    up(
        G,
        "checkout",
        name="Оформление заказа с входом в аккаунт",
        emotion=0.5,
        users=1100,
        steps=3,
        action="Постоянные покупатели входят по номеру телефона и коду, адрес подставляется сам.",
        thought="Быстро, всё уже заполнено.",
        pain_point="",
        task_status="done",
        opportunity="Реализовано: регистрация по желанию, подписка без галочки по умолчанию.",
    )
    up(
        G,
        "payment",
        emotion=1.0,
        users=1950,
        pain_point="",
        action="Платит картой или «Долями» прямо на странице, без перехода на сайт банка.",
        opportunity="Реализовано: оплата долями, форма банка встроена и адаптирована под телефон.",
    )
    up(
        G,
        "payment-failed",
        emotion=-1.0,
        users=220,
        thought="Обидно, но заказ сохранился — оплачу через СБП.",
        pain_point="Банк всё ещё может отклонить платёж по лимиту.",
        opportunity="Реализовано: заказ хранится 24 часа, предлагается СБП или оплата при получении.",
    )
    up(
        G,
        "order-confirmed",
        emotion=1.5,
        users=2640,
        pain_point="",
        opportunity="Реализовано: дата, интервал и ссылка на отслеживание в письме.",
    )
    up(
        G,
        "delivery-notifications",
        channel="messenger",
        emotion=1.0,
        users=2640,
        pain_point="",
        action="Получает уведомления в Telegram на каждом шаге, в день доставки видит курьера на карте.",
        thought="Всё под контролем.",
        opportunity="Реализовано: статусы на каждом шаге и карта с курьером.",
    )
    up(
        G,
        "courier",
        emotion=1.0,
        users=2630,
        pain_point="",
        action="Курьер приезжает в выбранный интервал 19–22, принимает оплату картой, помогает распаковать.",
        thought="Вовремя и вежливо.",
        opportunity="Реализовано: вечерние интервалы и «подарок, если опоздаем».",
    )
    up(
        G,
        "feedback-form",
        emotion=0.0,
        users=40,
        action="Пишет, что курьер опоздал на 20 минут; через 40 минут получает извинение и 500 бонусов.",
        thought="Неприятно, но отреагировали быстро и по-человечески.",
        pain_point="",
        opportunity="Реализовано: ответ в течение часа и компенсация без запроса клиента.",
    )
    up(
        G,
        "review-request",
        emotion=1.0,
        users=2590,
        pain_point="",
        opportunity="Реализовано: отзыв в один клик из письма, 200 бонусов за отзыв с фото.",
    )
    up(
        G,
        "review-replies",
        status="planned",
        emotion=1.0,
        evidence="assumed",
        users=630,
        action="Получает ответ магазина на свой отзыв на следующий день.",
        thought="Меня услышали.",
        pain_point="",
        opportunity="Запланировано: ответ на каждый отзыв в течение суток.",
        frontstage="Публичный ответ от имени сотрудника",
        backstage="Очередь отзывов в чат-платформе",
        support_processes="Модуль отзывов, интеграция с маркетплейсом",
    )
    up(
        G,
        "newsletter",
        emotion=0.5,
        users=1300,
        action="Получает письмо раз в неделю: через 3 месяца — напоминание заменить фильтр.",
        thought="Вот это полезно.",
        pain_point="",
        opportunity="Реализовано: письма по покупкам вместо общих акций.",
    )
    up(
        G,
        "share-button",
        emotion=1.0,
        users=250,
        pain_point="",
        opportunity="Реализовано: кнопки Telegram и WhatsApp, реферальная ссылка.",
    )
    up(
        G,
        "loyalty",
        emotion=1.0,
        users=700,
        pain_point="",
        opportunity="Реализовано: напоминание о сгорании бонусов, списание до 30 % на расходники.",
    )
    b.tp(
        "guest-checkout",
        "Оформление без регистрации",
        "purchase",
        15.5,
        channel="website",
        category="business_processes",
        status="planned",
        action="Вводит телефон, адрес и интервал доставки — 3 поля, без пароля и СМС.",
        steps=3,
        thought="Наконец-то без регистрации.",
        emotion=1.0,
        evidence="assumed",
        users=2200,
        key_touchpoint=True,
        opportunity="Запланировано: гостевое оформление; цель — уход на шаге оформления ниже 15 %.",
        importance=5,
        owner="Продакт-менеджер сайта",
        task="Гостевое оформление и доработка CRM",
        deadline="2027-02-15",
        task_status="in_progress",
        physical_evidence="Форма из 3 полей",
        frontstage="Страница оформления",
        backstage="Заказ создаётся в CRM без учётной записи",
        support_processes="CRM, учётная система",
        comments=[("Кирилл (ИТ)", "Доработка CRM оценена в 3 спринта; начинаем в декабре.")],
    )
    b.tp(
        "one-click-payment",
        "Оплата в один клик: СБП и сохранённая карта",
        "purchase",
        16.5,
        channel="website",
        category="technology",
        status="planned",
        conversion_point=True,
        action="Нажимает «Оплатить через СБП» и подтверждает платёж в приложении банка.",
        steps=1,
        thought="Две секунды.",
        emotion=1.5,
        evidence="assumed",
        users=970,
        key_touchpoint=True,
        opportunity="Запланировано: СБП и сохранённая карта для постоянных покупателей.",
        importance=5,
        owner="Продакт-менеджер сайта",
        task="Подключить СБП и сохранение карт",
        deadline="2026-12-20",
        task_status="in_progress",
        physical_evidence="Кнопка СБП, экран подтверждения в банковском приложении",
        frontstage="Форма оплаты",
        backstage="Платёж подтверждается мгновенно",
        support_processes="Платёжный шлюз с СБП, токенизация карт",
    )
    b.tp(
        "pickup-point",
        "Самовывоз из пункта выдачи рядом с домом",
        "post_purchase",
        20.5,
        channel="office",
        category="offices",
        status="missing",
        action="Хотела бы забрать пылесос сама по дороге с работы и проверить его прямо в пункте выдачи.",
        thought="Курьера можно ждать весь вечер, а пункт выдачи у меня в соседнем доме.",
        evidence="reported",
        pain_point="Не вошло в план на 2027 год: магазин возит только курьером, хотя 38 % опрошенных выбрали бы самовывоз.",
        opportunity="Подключить сеть пунктов выдачи с проверкой товара при получении.",
        importance=3,
        owner="Руководитель логистики",
        task="Сравнить условия двух сетей пунктов выдачи",
        deadline="2027-03-15",
        task_status="todo",
        physical_evidence="Пункт выдачи, ячейка с заказом",
        backstage="Склад отгружает заказы в сеть пунктов выдачи",
        support_processes="Договор с сетью пунктов выдачи (нет)",
        comments=[
            ("Марина (логистика)", "Всплыло на воркшопе по целевому состоянию: в опросе это третья по частоте просьба.")
        ],
    )
    b.flow("delivery-notifications", "pickup-point", 0, "хотела бы забрать сама")
    b.flow("pickup-point", "review-request", 0, "")
    b.flow("add-to-cart", "guest-checkout", 2200, "оформляет без регистрации")
    b.flow("guest-checkout", "payment", 1500, "картой или долями")
    b.flow("guest-checkout", "one-click-payment", 350, "через СБП")
    b.flow("checkout", "one-click-payment", 500, "сохранённая карта")
    b.flow("payment-failed", "one-click-payment", 120, "оплачивает через СБП")
    b.flow("one-click-payment", "order-confirmed", 940, "оплата прошла")
    _set_users(
        G,
        {
            ("social-ad", "view-product"): 6000,
            ("qr-flyer", "view-product"): 700,
            ("friend-tip", "search"): 400,
            ("friend-tip", "view-product"): 500,
            ("search", "view-product"): 4300,
            ("search", "marketplace"): 2800,
            ("marketplace", "view-product"): 2000,
            ("view-product", "subscription-popup"): 3000,
            ("subscription-popup", "newsletter"): 600,
            ("view-product", "reviews-page"): 5000,
            ("view-product", "online-consultant"): 600,
            ("view-product", "question-form"): 100,
            ("view-product", "messenger-consult"): 500,
            ("view-product", "price-list-form"): 0,
            ("view-product", "contact-details"): 250,
            ("view-product", "add-to-cart"): 600,
            ("reviews-page", "online-consultant"): 600,
            ("reviews-page", "question-form"): 100,
            ("reviews-page", "add-to-cart"): 2000,
            ("online-consultant", "add-to-cart"): 500,
            ("question-form", "add-to-cart"): 60,
            ("messenger-consult", "add-to-cart"): 380,
            ("price-list-form", "add-to-cart"): 0,
            ("contact-details", "add-to-cart"): 60,
            ("add-to-cart", "checkout"): 1100,
            ("checkout", "payment"): 450,
            ("payment", "order-confirmed"): 1700,
            ("payment", "payment-failed"): 220,
            ("payment-failed", "add-to-cart"): 40,
            ("order-confirmed", "delivery-notifications"): 2640,
            ("delivery-notifications", "courier"): 2630,
            ("courier", "review-request"): 2590,
            ("courier", "feedback-form"): 40,
            ("feedback-form", "review-replies"): 30,
            ("review-request", "review-replies"): 600,
            ("review-request", "share-button"): 250,
            ("review-request", "loyalty"): 700,
            ("loyalty", "newsletter"): 300,
            ("newsletter", "view-product"): 520,
        },
    )
    G.edges["payment-failed", "add-to-cart"]["label"] = "возвращается в корзину, заказ сохранён"
    for tp_id, users in {
        "social-ad": 25000,
        "search": 8500,
        "marketplace": 5000,
        "view-product": 13500,
        "reviews-page": 5000,
        "qr-flyer": 2000,
        "friend-tip": 1100,
    }.items():
        G.nodes[tp_id]["users"] = users
    G.nodes["one-click-payment"]["users"] = 970
    return G


# ---------------------------------------------------------------------------------------------------
# Build, validate, write
# ---------------------------------------------------------------------------------------------------


def build_all() -> dict[str, nx.DiGraph]:
    """Every sample map by id, validated (normalised by :func:`validate_map`)."""
    a_current = airline_current()
    s_current = shop_current()
    builders: dict[str, Callable[[], nx.DiGraph]] = {
        "airline-current": lambda: a_current,
        "airline-day": airline_day,
        "airline-future": lambda: airline_future(a_current),
        "airline-blueprint": airline_blueprint,
        "shop-current": lambda: s_current,
        "shop-future": lambda: shop_future(s_current),
    }
    maps = {}
    for map_id in MAP_IDS:
        G = builders[map_id]()
        assert G.graph["id"] == map_id, (G.graph["id"], map_id)
        maps[map_id] = validate_map(G, source=map_id)
    return maps


def write_all(out: Path = DEFAULT_OUT) -> list[Path]:
    """Write every sample map to ``out/<id>.json``; return the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for map_id, G in build_all().items():
        path = out / f"{map_id}.json"
        write_json(G, path)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: sample_data/maps)")
    args = parser.parse_args(argv)
    for path in write_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
