"""Texts of the app shell (app.py): navigation, the sidebar, and messages every page shows."""

EN = {
    "nav.section.maps": "Journey maps",
    "nav.section.executives": "For executives",
    "nav.section.analysis": "Analysis",
    "nav.library": "Map library",
    "app.nobody": "Nobody signed in",
    "app.share_invalid": "This share link does not work: it was revoked, it has expired, or its map was deleted.",
    "app.database_unavailable": "The maps database cannot be opened: {reason}",
    "app.shared_read_only": "You are looking at a map shared with you by a link: read only.",
    "app.sign_in_title": "Customer journey maps",
    "app.sign_in_help": "Sign in with your organisation's account to open the maps shared with you.",
    "app.sign_in": "Sign in",
    "app.sign_out": "Sign out",
    "app.signed_in_as": "Signed in as {who}",
    "app.open_mode": (
        "Open mode: no sign-in, everyone who reaches this app is an owner of every map. "
        "It listens on this computer only; configure an identity provider for a team (docs/security.md)."
    ),
    "app.no_access": "You have no access to this map. Ask its owner to share it with you.",
    "app.language": "Language",
    "app.your_name": "Your name (shown to co-editors)",
    "app.current_map": "Current map",
    "app.pick_map": "Pick a map…",
    "app.current_map_caption": "{map_type} · {touchpoints} touchpoints · version {version}",
    "app.no_map": "No map is open. Pick one in the sidebar or in the map library.",
    "app.open_library": "Open the map library",
    "app.invalid": "Not saved: {n} problem(s) found.",
    "app.unexpected": "Something went wrong ({error}). Nothing was saved.",
    "app.preparing": "Preparing the maps for their first use (a few seconds, once)…",
    "app.unexpected_ref": "Something went wrong, reference {ref}. Your saved work is safe; reload the page, and give the reference to whoever runs this server (it is in the server log with the details).",
}

RU = {
    "nav.section.maps": "Карты пути",
    "nav.section.executives": "Руководителям",
    "nav.section.analysis": "Анализ",
    "nav.library": "Библиотека карт",
    "app.nobody": "Никто не вошёл",
    "app.share_invalid": "Эта ссылка не работает: её отозвали, срок её действия истёк или карта удалена.",
    "app.database_unavailable": "Не удаётся открыть базу данных карт: {reason}",
    "app.shared_read_only": "Вы смотрите карту, которой с вами поделились по ссылке: только просмотр.",
    "app.sign_in_title": "Карты пути клиента",
    "app.sign_in_help": "Войдите с учётной записью вашей организации, чтобы открыть карты, которыми с вами поделились.",
    "app.sign_in": "Войти",
    "app.sign_out": "Выйти",
    "app.signed_in_as": "Вы вошли как {who}",
    "app.open_mode": (
        "Открытый режим: без входа, каждый, кто открыл приложение, — владелец всех карт. "
        "Оно доступно только с этого компьютера; для команды настройте поставщика удостоверений (docs/security.md)."
    ),
    "app.no_access": "У вас нет доступа к этой карте. Попросите владельца поделиться ею с вами.",
    "app.language": "Язык",
    "app.your_name": "Ваше имя (видно соавторам)",
    "app.current_map": "Текущая карта",
    "app.pick_map": "Выберите карту…",
    "app.current_map_caption": "{map_type} · точек контакта: {touchpoints} · версия {version}",
    "app.no_map": "Карта не открыта. Выберите её в боковой панели или в библиотеке карт.",
    "app.open_library": "Открыть библиотеку карт",
    "app.invalid": "Не сохранено: найдено проблем — {n}.",
    "app.unexpected": "Что-то пошло не так ({error}). Ничего не сохранено.",
    "app.preparing": "Готовим карты к первому запуску (несколько секунд, один раз)…",
    "app.unexpected_ref": "Что-то пошло не так, код ошибки {ref}. Сохранённая работа не пострадала; перезагрузите страницу и сообщите код тому, кто обслуживает сервер (подробности — в журнале сервера).",
}
