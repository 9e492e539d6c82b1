"""Every UI string exists in English and Russian; every key used in the code exists."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import cjm.i18n
from cjm import schema
from cjm.i18n import STRICT_ENV, MissingTranslation, catalogues, label, t

ROOT = Path(__file__).resolve().parents[2]
MODULES = [m.name for m in pkgutil.iter_modules(cjm.i18n.__path__) if m.name.startswith("catalog_")]
# tr("key"...) / t("key"...) with a literal key
KEY_USE = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+\.[A-Za-z0-9_.]+)["']""")
# tr(f"key.{x}"...) / t(f"key.{x}"...): a key built at run time, checked by its literal prefix
FSTRING_KEY_USE = re.compile(r"""\b(?:tr|t|has)\(\s*f["']([a-z_]+\.[A-Za-z0-9_.]*)\{""")


#: Catalogues that are no page's own: the app shell, texts shared by every page, problems and errors,
#: and version notes (shown by the library and the editor).
SHARED_CATALOGUES = {"app", "core", "problems", "notes"}


def test_each_page_has_a_catalogue_named_after_it_and_every_other_catalogue_is_a_shared_one():
    pages = {p.stem for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")}
    catalogues_ = {name.removeprefix("catalog_") for name in MODULES}
    assert len(pages) >= 9
    assert not pages - catalogues_, f"pages without a catalogue: {sorted(pages - catalogues_)}"
    assert catalogues_ - pages <= SHARED_CATALOGUES, sorted(catalogues_ - pages - SHARED_CATALOGUES)


@pytest.mark.parametrize("name", MODULES)
def test_each_catalogue_has_the_same_keys_in_english_and_russian(name):
    module = importlib.import_module(f"cjm.i18n.{name}")
    missing_ru = sorted(set(module.EN) - set(module.RU))
    missing_en = sorted(set(module.RU) - set(module.EN))
    assert not missing_ru, f"{name}: missing in RU: {missing_ru}"
    assert not missing_en, f"{name}: missing in EN: {missing_en}"
    assert all(str(v).strip() for v in list(module.EN.values()) + list(module.RU.values())), f"{name}: empty text"


def test_no_key_is_defined_in_two_catalogues():
    seen: dict[str, str] = {}
    for name in MODULES:
        for key in importlib.import_module(f"cjm.i18n.{name}").EN:
            assert key not in seen, f"{key} is in both {seen[key]} and {name}"
            seen[key] = name


def test_every_key_used_in_the_code_exists():
    known = set(catalogues()["en"])
    files = [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "cjm").rglob("*.py"),
        *(ROOT / "cjm_ui").rglob("*.py"),
    ]
    unknown = set()
    for path in files:
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            if key.endswith("."):  # a prefix completed at run time, e.g. t("health.level." + level)
                assert any(k.startswith(key) for k in known), f"{path.name}: no key starts with {key}"
            elif key not in known:
                unknown.add(f"{path.relative_to(ROOT)}: {key}")
    assert not unknown, sorted(unknown)


def test_every_key_built_with_an_f_string_has_a_known_prefix():
    known = set(catalogues()["en"])
    files = [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "cjm").rglob("*.py"),
        *(ROOT / "cjm_ui").rglob("*.py"),
    ]
    found, unknown = 0, set()
    for path in files:
        for prefix in FSTRING_KEY_USE.findall(path.read_text(encoding="utf-8")):
            found += 1
            if not any(k.startswith(prefix) for k in known):
                unknown.add(f"{path.relative_to(ROOT)}: {prefix}…")
    assert found > 20  # the pattern still finds the keys the pages build
    assert not unknown, sorted(unknown)


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("map_type", schema.MAP_TYPES),
        ("phase", schema.PHASES),
        ("category", schema.CATEGORIES),
        ("channel", schema.CHANNELS),
        ("status", schema.STATUSES),
        ("evidence", schema.EVIDENCE_LEVELS),
        ("task_status", schema.TASK_STATUSES),
        ("evaluated_by", schema.EVALUATORS),
        ("stage", tuple(s[0] for s in schema.DEFAULT_STAGES + schema.DAY_STAGES)),
        ("field", schema.TOUCHPOINT_FIELD_NAMES),
    ],
)
def test_every_schema_name_is_translated(kind, values):
    for lang in ("en", "ru"):
        for value in values:
            assert f"{kind}.{value}" in catalogues()[lang], f"{lang}: {kind}.{value}"


def test_russian_labels_differ_from_english_ones():
    assert label("channel", "website", "ru") == "Сайт" and label("channel", "website", "en") == "Website"


def test_a_missing_key_raises_under_the_tests_even_when_built_at_run_time():
    kind = "nonexistent"
    with pytest.raises(MissingTranslation, match="stage.nonexistent"):
        t(f"stage.{kind}", "ru")


def test_a_missing_key_falls_back_to_the_key_itself_outside_the_tests(monkeypatch):
    monkeypatch.delenv(STRICT_ENV)
    assert t("no.such.key", "ru") == "no.such.key"


def test_unknown_choice_values_are_shown_unchanged():
    assert label("channel", "carrier pigeon", "ru") == "carrier pigeon"
