"""Texts of presenter mode (pages/presenter.py)."""

EN = {
    "presenter.nav": "Presenter mode",
    "presenter.title_none": "Presenter mode",
    "presenter.no_map": "Which map? Open presenter mode from the editor, or add ?map=<map id> to the address.",
    "presenter.gone": "This map was deleted.",
    "presenter.empty": "The map has no touchpoints yet.",
    "presenter.live": "Live",
    "presenter.version": "version {version}, changed {ago} by {who}",
    "presenter.touchpoints": "{n} touchpoints",
    "presenter.view.both": "Map and emotion curve",
    "presenter.view.map": "Map only",
    "presenter.view.curve": "Emotion curve only",
    "presenter.exit": "Back to the editor",
    "presenter.fullscreen_hint": "F11 — full screen",
}

RU = {
    "presenter.nav": "Режим презентации",
    "presenter.title_none": "Режим презентации",
    "presenter.no_map": "Какую карту показать? Откройте режим презентации из редактора или добавьте ?map=<id карты> к адресу.",
    "presenter.gone": "Эта карта удалена.",
    "presenter.empty": "На карте ещё нет точек контакта.",
    "presenter.live": "В эфире",
    "presenter.version": "версия {version}, изменена {ago}, автор {who}",
    "presenter.touchpoints": "точек контакта: {n}",
    "presenter.view.both": "Карта и кривая эмоций",
    "presenter.view.map": "Только карта",
    "presenter.view.curve": "Только кривая эмоций",
    "presenter.exit": "Назад в редактор",
    "presenter.fullscreen_hint": "F11 — во весь экран",
}
