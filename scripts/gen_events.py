"""Deterministic online-shop event-log generator (sample data and benchmark logs).

Writes ``user_id,event,timestamp[,channel,device,city]`` rows, sorted by time within each user
session but not globally (like a real export). The same seed and size always give the same bytes.

    python scripts/gen_events.py --events 50000 --out sample_data/funnels/shop_events.csv
    python scripts/gen_events.py --events 10000000 --props device --out .bench/events_10m.csv
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

__all__ = ["generate", "write_events", "EVENTS", "PROPERTIES"]

#: Event names of the online-shop journey, in funnel order after the browsing events.
EVENTS = (
    "page_view",
    "search",
    "view_product",
    "add_to_cart",
    "checkout",
    "payment",
    "order_confirmed",
    "support_chat",
    "remove_from_cart",
)
PROPERTIES = {
    "channel": ("organic", "ads", "email", "social"),
    "device": ("mobile", "desktop", "tablet"),
    "city": ("Moscow", "Saint Petersburg", "Kazan", "Novosibirsk", "Yekaterinburg"),
}
_START = datetime(2024, 3, 4, tzinfo=UTC)  # a Monday: weeks of entry start clean
_DAYS = 56

# Probability of going on from one purchase step to the next, by device (mobile checkout is worse).
_NEXT = {
    "mobile": (0.55, 0.40, 0.55, 0.70, 0.90),
    "desktop": (0.65, 0.50, 0.75, 0.80, 0.95),
    "tablet": (0.60, 0.45, 0.65, 0.75, 0.92),
}
_CHANNEL_BOOST = {"organic": 1.0, "ads": 0.9, "email": 1.1, "social": 0.8}


def _session(rng: random.Random, device: str, channel: str) -> list[tuple[str, int]]:
    """Events of one visit as (event, seconds after the visit starts)."""
    out: list[tuple[str, int]] = []
    t = 0

    def add(name: str) -> None:
        nonlocal t
        out.append((name, t))
        t += rng.randint(5, 240)

    for _ in range(rng.randint(1, 3)):
        add("page_view")
    if rng.random() < 0.6:
        for _ in range(rng.randint(1, 3)):
            add("search")
    for _ in range(rng.randint(0, 4)):
        add("view_product")
    if not out or out[-1][0] != "view_product":
        return out
    boost = _CHANNEL_BOOST[channel]
    for step, p in zip(("add_to_cart", "checkout", "payment", "order_confirmed"), _NEXT[device][:4], strict=False):
        if rng.random() > min(p * boost, 0.98):
            if step in ("checkout", "payment") and rng.random() < 0.25:
                add("support_chat")
            elif step == "checkout" and rng.random() < 0.3:
                add("remove_from_cart")
            break
        add(step)
    return out


def generate(n_events: int, *, seed: int = 42, props: tuple[str, ...] = tuple(PROPERTIES)):
    """Yield ``(user_id, event, datetime, {prop: value})`` until about ``n_events`` rows."""
    rng = random.Random(seed)
    made = 0
    user = 0
    while made < n_events:
        user += 1
        uid = f"u{user:07d}"
        device = rng.choice(("mobile", "mobile", "desktop", "tablet"))
        city = rng.choice(PROPERTIES["city"])
        first = rng.randrange(_DAYS * 86400)
        for visit in range(rng.choice((1, 1, 1, 2, 2, 3))):
            channel = rng.choice(PROPERTIES["channel"])
            start = first + visit * rng.randint(600, 5 * 86400)
            values = {"channel": channel, "device": device, "city": city}
            for name, dt in _session(rng, device, channel):
                if made >= n_events:
                    return
                made += 1
                yield uid, name, _START + timedelta(seconds=start + dt), {p: values[p] for p in props}


def write_events(path: Path, n_events: int, *, seed: int = 42, props: tuple[str, ...] = tuple(PROPERTIES)) -> int:
    """Write the log as CSV; returns the number of events written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    day_cache: dict[int, str] = {}
    base = int(_START.timestamp())
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(("user_id", "event", "timestamp", *props)) + "\n")
        buf: list[str] = []
        for uid, name, when, values in generate(n_events, seed=seed, props=props):
            secs = int(when.timestamp()) - base
            day, rest = divmod(secs, 86400)
            prefix = day_cache.get(day)
            if prefix is None:
                prefix = day_cache[day] = (_START + timedelta(days=day)).strftime("%Y-%m-%d ")
            h, rest = divmod(rest, 3600)
            m, s = divmod(rest, 60)
            row = f"{uid},{name},{prefix}{h:02d}:{m:02d}:{s:02d}"
            if values:
                row += "," + ",".join(values.values())
            buf.append(row)
            n += 1
            if len(buf) >= 100_000:
                f.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            f.write("\n".join(buf) + "\n")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--props", default=",".join(PROPERTIES), help="comma-separated: channel,device,city")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    props = tuple(p for p in args.props.split(",") if p)
    unknown = [p for p in props if p not in PROPERTIES]
    if unknown:
        parser.error(f"unknown properties: {', '.join(unknown)}")
    n = write_events(args.out, args.events, seed=args.seed, props=props)
    print(f"wrote {n} events to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
