"""Texts of the executive overview, the one-page summary and the journey health checks."""

EN = {
    "overview.nav": "Executive overview",
    "overview.title": "Executive overview",
    "overview.caption": "Where the experience hurts, and the few moments to fix first.",
    "overview.scope": "Show",
    "overview.scope.map": "This map",
    "overview.scope.portfolio": "All maps (portfolio)",
    "overview.include_future": "Include future states",
    "overview.include_future_help": "Future-state maps are projections; by default the portfolio shows today's experience.",
    "overview.no_maps": "The library has no maps yet.",
    "overview.pick_map": "Pick a map in the library to see its overview, or switch to the portfolio.",
    "overview.metric.average": "Average emotion",
    "overview.metric.average_help": "Mean of the assessed touchpoints on the −2 … +2 scale ({n} assessed).",
    "overview.metric.lowest": "Lowest moment",
    "overview.metric.pain": "Open pain points",
    "overview.metric.pain_help": "Touchpoints with a pain point whose task is not done.",
    "overview.metric.missing": "Missing touchpoints",
    "overview.metric.missing_help": "Touchpoints customers need where we are absent.",
    "overview.metric.evidence": "Backed by evidence",
    "overview.metric.evidence_help": "Share of touchpoints observed or reported by customers (not inferred or assumed).",
    "overview.metric.conversion": "Conversion",
    "overview.metric.conversion_help": "Users at the final conversion point ÷ users at the entry ({converted} of {entered}).",
    "overview.metric.no_data": "no data",
    "overview.feeling_word": "{feeling}",
    "overview.fix_title": "Moments to fix first",
    "overview.fix_caption": "Ranked by score = (negativity + drop-off) × importance, 0 … 10.",
    "overview.fix_none": "Nothing to fix: no touchpoint is negative or loses users.",
    "overview.fix_item": "{rank}. {name}",
    "overview.fix_meta": "{stage} · emotion {emotion} · score {score}",
    "overview.fix_drop": "loses {rate} of users",
    "overview.fix_pain": "Pain point",
    "overview.fix_opportunity": "Opportunity",
    "overview.fix_owner": "Owner",
    "overview.fix_evidence": "Evidence",
    "overview.fix_map": "Map",
    "overview.fix_task": "Task",
    "overview.none": "—",
    "overview.unassigned": "not assigned",
    "overview.maps_title": "Maps at a glance",
    "overview.col.map": "Map",
    "overview.col.type": "Type",
    "overview.col.touchpoints": "Touchpoints",
    "overview.col.average": "Avg. emotion",
    "overview.col.lowest": "Lowest moment",
    "overview.col.pain": "Open pain points",
    "overview.col.missing": "Missing",
    "overview.col.evidence": "Evidence-backed",
    "overview.col.conversion": "Conversion",
    "overview.health_title": "Journey health checks",
    "overview.health_ok": "All checks pass: the journey is continuous and every negative moment is answered.",
    "overview.health_map": "{title}: {errors} error(s), {total} finding(s)",
    "overview.curve_title": "Emotion curve",
    "overview.download": "Download summary",
    "overview.download_help": "A one-page HTML file that opens offline in any browser; print it to PDF from the browser if needed.",
    "overview.summary_title": "Customer journey summary",
    "overview.summary_generated": "Generated {when}",
    "overview.summary_maps": "Maps: {titles}",
    "overview.score_note": (
        "Score = (negativity + drop-off) × importance. Negativity = max(0, −emotion) ÷ 2; drop-off = share of "
        "users lost at the touchpoint (0 when unknown); importance 1–5 (3 when unset, 4 for key touchpoints)."
    ),
    "health.and_more": "and {n} more",
    "health.all_clear": "no findings — the journey looks healthy.",
    "health.summary": "{n} finding(s)",
    "health.level.error": "error",
    "health.level.warning": "warning",
    "health.level.info": "info",
    "health.unreachable": (
        "Broken chain: customers cannot reach {names} from the start of the journey. Add a transition that leads there."
    ),
    "health.dead_end": "Dead ends before a conversion point: {names} lead nowhere. Give the customer a next step.",
    "health.no_way_to_conversion": (
        "No way to a conversion: customers who reach {names} before converting cannot get to a conversion point "
        "from there. Add a way back into the journey."
    ),
    "health.no_conversion": (
        "No conversion point: mark where a prospect becomes a customer (order form, sales manager, chat)."
    ),
    "health.empty_stage": "Stages with no touchpoint: {stages}. The customer is left alone there.",
    "health.negative_unanswered": (
        "Negative moments with no opportunity and no recovery: {names}. Write down how we answer them."
    ),
    "health.missing_open": "Missing touchpoints still open: {names}. Customers look for us there.",
    "health.abandoned_channel": (
        "Channel «{channel}» is used in «{phase}» ({names}) but abandoned in {later}: "
        "customers who came that way lose us."
    ),
    "health.unassessed": "Emotion not assessed yet: {names}.",
}

RU = {
    "overview.nav": "Обзор для руководителя",
    "overview.title": "Обзор для руководителя",
    "overview.caption": "Где клиенту плохо и что исправить в первую очередь.",
    "overview.scope": "Показать",
    "overview.scope.map": "Эта карта",
    "overview.scope.portfolio": "Все карты (портфель)",
    "overview.include_future": "С будущими состояниями",
    "overview.include_future_help": "Карты будущего состояния — это прогноз; по умолчанию портфель показывает сегодняшний опыт.",
    "overview.no_maps": "В библиотеке пока нет карт.",
    "overview.pick_map": "Выберите карту в библиотеке, чтобы увидеть её обзор, или переключитесь на портфель.",
    "overview.metric.average": "Средняя эмоция",
    "overview.metric.average_help": "Среднее по оценённым точкам по шкале −2 … +2 (оценено: {n}).",
    "overview.metric.lowest": "Худший момент",
    "overview.metric.pain": "Открытые боли",
    "overview.metric.pain_help": "Точки с болью, задача по которой не выполнена.",
    "overview.metric.missing": "Упущенные точки",
    "overview.metric.missing_help": "Точки, которые нужны клиентам, но где нас нет.",
    "overview.metric.evidence": "Подтверждено данными",
    "overview.metric.evidence_help": "Доля точек, наблюдаемых или описанных клиентами (не выведенных и не предположенных).",
    "overview.metric.conversion": "Конверсия",
    "overview.metric.conversion_help": "Пользователи в итоговой точке конверсии ÷ пользователи на входе ({converted} из {entered}).",
    "overview.metric.no_data": "нет данных",
    "overview.feeling_word": "{feeling}",
    "overview.fix_title": "Что исправить в первую очередь",
    "overview.fix_caption": "Порядок по баллу = (негатив + отток) × важность, 0 … 10.",
    "overview.fix_none": "Исправлять нечего: нет негативных точек и точек с оттоком.",
    "overview.fix_item": "{rank}. {name}",
    "overview.fix_meta": "{stage} · эмоция {emotion} · балл {score}",
    "overview.fix_drop": "теряет {rate} пользователей",
    "overview.fix_pain": "Боль",
    "overview.fix_opportunity": "Возможность",
    "overview.fix_owner": "Ответственный",
    "overview.fix_evidence": "Доказательность",
    "overview.fix_map": "Карта",
    "overview.fix_task": "Задача",
    "overview.none": "—",
    "overview.unassigned": "не назначен",
    "overview.maps_title": "Карты коротко",
    "overview.col.map": "Карта",
    "overview.col.type": "Тип",
    "overview.col.touchpoints": "Точек",
    "overview.col.average": "Ср. эмоция",
    "overview.col.lowest": "Худший момент",
    "overview.col.pain": "Открытые боли",
    "overview.col.missing": "Упущено",
    "overview.col.evidence": "С данными",
    "overview.col.conversion": "Конверсия",
    "overview.health_title": "Проверка здоровья пути",
    "overview.health_ok": "Все проверки пройдены: цепочка непрерывна, на каждый негатив есть ответ.",
    "overview.health_map": "{title}: ошибок {errors}, замечаний {total}",
    "overview.curve_title": "Кривая эмоций",
    "overview.download": "Скачать сводку",
    "overview.download_help": "Сводка на одну страницу в HTML: открывается без интернета в любом браузере; при необходимости распечатайте в PDF из браузера.",
    "overview.summary_title": "Сводка по пути клиента",
    "overview.summary_generated": "Сформировано {when}",
    "overview.summary_maps": "Карты: {titles}",
    "overview.score_note": (
        "Балл = (негатив + отток) × важность. Негатив = max(0, −эмоция) ÷ 2; отток = доля пользователей, "
        "потерянных в точке (0, если неизвестно); важность 1–5 (3, если не задана, 4 для ключевых точек)."
    ),
    "health.and_more": "и ещё {n}",
    "health.all_clear": "замечаний нет — путь выглядит здоровым.",
    "health.summary": "замечаний: {n}",
    "health.level.error": "ошибка",
    "health.level.warning": "предупреждение",
    "health.level.info": "к сведению",
    "health.unreachable": (
        "Разрыв цепочки: клиент не может попасть в {names} от начала пути. Добавьте переход, который туда ведёт."
    ),
    "health.dead_end": "Тупики до точки конверсии: из {names} нет пути дальше. Покажите клиенту следующий шаг.",
    "health.no_way_to_conversion": (
        "Не ведут к конверсии: клиент, попавший в {names} до конверсии, оттуда уже не дойдёт до точки конверсии. "
        "Добавьте путь обратно в воронку."
    ),
    "health.no_conversion": (
        "Нет точки конверсии: отметьте, где потенциальный клиент становится клиентом "
        "(форма заказа, менеджер по продажам, чат)."
    ),
    "health.empty_stage": "Этапы без точек контакта: {stages}. Там клиент остаётся один.",
    "health.negative_unanswered": (
        "Негативные моменты без возможности и без восстановления: {names}. Запишите, как мы на них отвечаем."
    ),
    "health.missing_open": "Упущенные точки контакта всё ещё открыты: {names}. Клиенты ищут нас там.",
    "health.abandoned_channel": (
        "Канал «{channel}» используется на фазе «{phase}» ({names}), но брошен на фазах: {later}. "
        "Клиенты, пришедшие этим путём, теряют нас."
    ),
    "health.unassessed": "Эмоция ещё не оценена: {names}.",
}
