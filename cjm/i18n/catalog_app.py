"""Texts of the app shell (app.py): navigation, the sidebar, and messages every page shows."""

EN = {
    "nav.section.maps": "Journey maps",
    "nav.section.executives": "For executives",
    "nav.section.analysis": "Analysis",
    "nav.library": "Map library",
    "app.language": "Language",
    "app.your_name": "Your name (shown to co-editors)",
    "app.current_map": "Current map",
    "app.pick_map": "Pick a map…",
    "app.current_map_caption": "{map_type} · {touchpoints} touchpoints · version {version}",
    "app.no_map": "No map is open. Pick one in the sidebar or in the map library.",
    "app.open_library": "Open the map library",
    "app.invalid": "Not saved: {n} problem(s) found.",
    "app.unexpected": "Something went wrong ({error}). Nothing was saved.",
}

RU = {
    "nav.section.maps": "Карты пути",
    "nav.section.executives": "Руководителям",
    "nav.section.analysis": "Анализ",
    "nav.library": "Библиотека карт",
    "app.language": "Язык",
    "app.your_name": "Ваше имя (видно соавторам)",
    "app.current_map": "Текущая карта",
    "app.pick_map": "Выберите карту…",
    "app.current_map_caption": "{map_type} · точек контакта: {touchpoints} · версия {version}",
    "app.no_map": "Карта не открыта. Выберите её в боковой панели или в библиотеке карт.",
    "app.open_library": "Открыть библиотеку карт",
    "app.invalid": "Не сохранено: найдено проблем — {n}.",
    "app.unexpected": "Что-то пошло не так ({error}). Ничего не сохранено.",
}
