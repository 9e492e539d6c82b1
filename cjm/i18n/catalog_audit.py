"""Texts of the touchpoint audit page (pages/audit.py)."""

EN = {
    # The audit page.
    "audit.nav": "Touchpoint audit",
    "audit.title": "Touchpoint audit",
    "audit.intro": (
        "Six steps: find every touchpoint, pick the important ones, rank them by value to the business, "
        "evaluate them, set improvement tasks with owners and deadlines, and carry out the plan. "
        "Every change is saved as a new version of the map."
    ),
    "audit.step.identify": "Identify",
    "audit.step.select": "Select key ones",
    "audit.step.rank": "Rank",
    "audit.step.evaluate": "Evaluate",
    "audit.step.tasks": "Plan improvements",
    "audit.step.carry_out": "Carry out",
    "audit.filter.maps": "Maps in the inventory",
    "audit.filter.maps_none": "choose the maps",
    "audit.filter.all": "All",
    "audit.filter.phases": "Phase",
    "audit.filter.stages": "Stage",
    "audit.filter.channels": "Channel",
    "audit.filter.categories": "Category",
    "audit.filter.statuses": "Status",
    "audit.filtered": "Showing {shown} of {total} touchpoints (filters are on).",
    "audit.metric.touchpoints": "Touchpoints",
    "audit.metric.missing": "{n} of them marked missing",
    "audit.metric.key": "Key touchpoints",
    "audit.metric.ranked": "Ranked",
    "audit.metric.evaluated": "Evaluated",
    "audit.metric.tasks": "Tasks done",
    "audit.metric.tasks_help": "Done tasks out of all improvement tasks",
    "audit.metric.overdue": "Overdue tasks",
    "audit.identify.lead": (
        "**Step 1.** Every touchpoint customers use now, and the ones they should use. The heatmaps show "
        "where the journey has nothing of a kind; the catalogue below offers typical touchpoints you have "
        "not mapped yet."
    ),
    "audit.coverage.title": "Coverage: where are the gaps?",
    "audit.coverage.help": "Each cell counts existing touchpoints. Red cells with ✕ are gaps.",
    "audit.coverage.with_planned": "Count planned touchpoints as covered",
    "audit.coverage.phase_category": "Phase × category",
    "audit.coverage.stage_channel": "Stage × channel",
    "audit.coverage.gaps": "{n} of {total} cells are gaps.",
    "audit.coverage.unused": "Channels not used anywhere on this journey: {channels}.",
    "audit.heat_hover": "{row} · {col}: {n} touchpoints",
    "audit.catalogue.title": "Typical touchpoints not on the map",
    "audit.catalogue.help": (
        "One click adds a touchpoint to its usual stage, with the status chosen here; it is saved as a new version."
    ),
    "audit.catalogue.add_as": "Add as",
    "audit.catalogue.complete": "Every typical touchpoint of the catalogue is on the map.",
    "audit.catalogue.entry_help": "{phase} · {channel} · {category}",
    "audit.select.lead": (
        "**Step 2.** Tick the touchpoints that matter most: conversion points, the first impression, "
        "places where customers get stuck. Give each an importance (1 = minor … 5 = critical)."
    ),
    "audit.select.suggested": "Suggested as key ({n}): {names}",
    "audit.reason.conversion": "conversion point",
    "audit.catalogue.matches": "Matches by similar name to confirm ({n})",
    "audit.catalogue.match": "«{name}» looks like the catalogue's «{entry}»",
    "audit.catalogue.confirm": "Confirm",
    "audit.catalogue.reject": "Not this",
    "audit.reason.drop_off": "loses {value} people",
    "audit.reason.emotion": "−emotion × importance {value}",
    "audit.select.mark": "Mark them as key",
    "audit.rank.lead": (
        "**Step 3.** Key touchpoints ranked by value to the business: importance first, then the "
        "weakest score. Set importance in step 2."
    ),
    "audit.evaluate.lead": (
        "**Step 4.** Score each key touchpoint from 1 (poor) to 5 (excellent) and say who evaluated it: "
        "a self-assessment, an expert, customers, or a mystery shopper."
    ),
    "audit.evaluate.by_whom": "Scores by evaluator",
    "audit.matrix.title": "Priority matrix",
    "audit.matrix.help": (
        "Importance against score. High importance means {importance}–5, a good score {score}–5. "
        "Fix first: important and weak. Keep up: important and strong. Improve later: minor and weak. "
        "Don't over-invest: minor and strong."
    ),
    "audit.matrix_x": "Score (1 = poor, 5 = excellent)",
    "audit.matrix_y": "Importance (1 = minor, 5 = critical)",
    "audit.matrix_empty": "No touchpoint has both an importance and a score yet",
    "audit.matrix_more": "+{n} more",
    "audit.quadrant.fix_first": "Fix first",
    "audit.quadrant.keep_up": "Keep up",
    "audit.quadrant.improve_later": "Improve later",
    "audit.quadrant.dont_overinvest": "Don't over-invest",
    "audit.tasks.lead": (
        "**Step 5.** For each touchpoint to improve: what to do, who owns it, by when. Overdue tasks are listed in red."
    ),
    "audit.tasks.only_key": "Only key touchpoints",
    "audit.tasks.overdue": "{n} overdue: {names}",
    "audit.days": "{n} d late",
    "audit.carry.lead": "**Step 6.** The task list of the maps in the inventory, as of {today}. Overdue rows are red.",
    "audit.carry.none": "No improvement tasks yet: add them in step 5.",
    "audit.carry.progress": "{done} of {total} tasks done",
    "audit.carry.csv": "Download CSV",
    "audit.carry.xlsx": "Download Excel",
    "audit.help.key": "A key touchpoint is worth auditing first",
    "audit.help.importance": "Value to the business: 1 = minor … 5 = critical",
    "audit.help.score": "How well it works now: 1 = poor … 5 = excellent",
    "audit.no_key": "No key touchpoints here yet: mark them in step 2.",
    "audit.no_rows": "No touchpoints match the filters.",
    "audit.read_only": "You can read this audit; changing it needs the editor role on the map.",
    "audit.saved": "Saved as version {version}: {note}",
    "audit.replaced": "Someone else changed these fields meanwhile; your values were kept and theirs stay in the version history:",
    "audit.not_saved": "Not saved — {n} problem(s) to fix:",
    "audit.sheet_tasks": "Tasks",
    "audit.yes": "yes",
    "audit.no": "no",
    "audit.col.map_title": "Map",
    "audit.col.name": "Touchpoint",
    "audit.col.stage_name": "Stage",
    "audit.col.overdue": "Overdue",
    "audit.col.days_overdue": "Days overdue",
    "audit.col.rank": "Rank",
    "audit.col.quadrant": "Priority",
    "audit.col.touchpoints": "Touchpoints",
    "audit.col.mean_score": "Mean score",
    "audit.col.min_score": "Lowest score",
}

RU = {
    "audit.nav": "Аудит точек контакта",
    "audit.title": "Аудит точек контакта",
    "audit.intro": (
        "Шесть шагов: найти все точки контакта, выбрать важные, ранжировать их по ценности для бизнеса, "
        "оценить, поставить задачи на улучшение с ответственными и сроками и выполнить план. "
        "Каждое изменение сохраняется как новая версия карты."
    ),
    "audit.step.identify": "Найти",
    "audit.step.select": "Выбрать ключевые",
    "audit.step.rank": "Ранжировать",
    "audit.step.evaluate": "Оценить",
    "audit.step.tasks": "Задачи",
    "audit.step.carry_out": "Выполнить",
    "audit.filter.maps": "Карты в инвентаризации",
    "audit.filter.maps_none": "выберите карты",
    "audit.filter.all": "Все",
    "audit.filter.phases": "Фаза",
    "audit.filter.stages": "Этап",
    "audit.filter.channels": "Канал",
    "audit.filter.categories": "Категория",
    "audit.filter.statuses": "Статус",
    "audit.filtered": "Показано {shown} из {total} точек контакта (включены фильтры).",
    "audit.metric.touchpoints": "Точки контакта",
    "audit.metric.missing": "из них отсутствуют: {n}",
    "audit.metric.key": "Ключевые",
    "audit.metric.ranked": "Ранжированы",
    "audit.metric.evaluated": "Оценены",
    "audit.metric.tasks": "Готово задач",
    "audit.metric.tasks_help": "Выполненные задачи из всех задач на улучшение",
    "audit.metric.overdue": "Просрочено",
    "audit.identify.lead": (
        "**Шаг 1.** Все точки контакта, которыми клиенты пользуются сейчас и которыми должны пользоваться. "
        "Тепловые карты показывают, где на пути нет точек нужного вида; ниже каталог предлагает типичные "
        "точки, которых ещё нет на карте."
    ),
    "audit.coverage.title": "Покрытие: где пробелы?",
    "audit.coverage.help": "В ячейке — число существующих точек контакта. Красные ячейки с ✕ — пробелы.",
    "audit.coverage.with_planned": "Считать запланированные точки покрытием",
    "audit.coverage.phase_category": "Фаза × категория",
    "audit.coverage.stage_channel": "Этап × канал",
    "audit.coverage.gaps": "Пробелов: {n} из {total} ячеек.",
    "audit.coverage.unused": "Каналы, которые нигде на этом пути не используются: {channels}.",
    "audit.heat_hover": "{row} · {col}: точек контакта — {n}",
    "audit.catalogue.title": "Типичные точки контакта, которых нет на карте",
    "audit.catalogue.help": (
        "Один щелчок добавляет точку контакта на её обычный этап со статусом, выбранным здесь; "
        "сохраняется новая версия."
    ),
    "audit.catalogue.add_as": "Добавить как",
    "audit.catalogue.complete": "Все типичные точки контакта из каталога уже есть на карте.",
    "audit.catalogue.entry_help": "{phase} · {channel} · {category}",
    "audit.select.lead": (
        "**Шаг 2.** Отметьте самые важные точки контакта: точки конверсии, первое впечатление, места, "
        "где клиенты застревают. Задайте каждой важность (1 — мелочь … 5 — критично)."
    ),
    "audit.select.suggested": "Предлагаем сделать ключевыми ({n}): {names}",
    "audit.reason.conversion": "точка конверсии",
    "audit.catalogue.matches": "Совпадения по похожему названию — подтвердите ({n})",
    "audit.catalogue.match": "«{name}» похоже на «{entry}» из каталога",
    "audit.catalogue.confirm": "Подтвердить",
    "audit.catalogue.reject": "Не то",
    "audit.reason.drop_off": "теряет {value} чел.",
    "audit.reason.emotion": "−эмоция × важность {value}",
    "audit.select.mark": "Отметить как ключевые",
    "audit.rank.lead": (
        "**Шаг 3.** Ключевые точки контакта по ценности для бизнеса: сначала важность, затем самая "
        "слабая оценка. Важность задаётся на шаге 2."
    ),
    "audit.evaluate.lead": (
        "**Шаг 4.** Оцените каждую ключевую точку от 1 (плохо) до 5 (отлично) и укажите, кто оценивал: "
        "самооценка, эксперт, клиенты или тайный покупатель."
    ),
    "audit.evaluate.by_whom": "Оценки по тем, кто оценивал",
    "audit.matrix.title": "Матрица приоритетов",
    "audit.matrix.help": (
        "Важность против оценки. Высокая важность — {importance}–5, хорошая оценка — {score}–5. "
        "Исправить в первую очередь: важно и слабо. Поддерживать: важно и сильно. "
        "Улучшить позже: неважно и слабо. Не вкладывать лишнего: неважно и сильно."
    ),
    "audit.matrix_x": "Оценка (1 — плохо, 5 — отлично)",
    "audit.matrix_y": "Важность (1 — мелочь, 5 — критично)",
    "audit.matrix_empty": "Пока ни у одной точки нет одновременно важности и оценки",
    "audit.matrix_more": "ещё {n}",
    "audit.quadrant.fix_first": "Исправить сначала",
    "audit.quadrant.keep_up": "Поддерживать",
    "audit.quadrant.improve_later": "Улучшить позже",
    "audit.quadrant.dont_overinvest": "Не вкладывать лишнего",
    "audit.tasks.lead": (
        "**Шаг 5.** Для каждой точки, которую надо улучшить: что сделать, кто отвечает, к какому сроку. "
        "Просроченные задачи выделены красным."
    ),
    "audit.tasks.only_key": "Только ключевые точки",
    "audit.tasks.overdue": "Просрочено: {n} — {names}",
    "audit.days": "опоздание {n} дн.",
    "audit.carry.lead": "**Шаг 6.** Список задач по картам инвентаризации на {today}. Просроченные строки — красные.",
    "audit.carry.none": "Задач на улучшение пока нет: добавьте их на шаге 5.",
    "audit.carry.progress": "Выполнено задач: {done} из {total}",
    "audit.carry.csv": "Скачать CSV",
    "audit.carry.xlsx": "Скачать Excel",
    "audit.help.key": "Ключевую точку контакта стоит проверить первой",
    "audit.help.importance": "Ценность для бизнеса: 1 — мелочь … 5 — критично",
    "audit.help.score": "Насколько хорошо работает сейчас: 1 — плохо … 5 — отлично",
    "audit.no_key": "Ключевых точек пока нет: отметьте их на шаге 2.",
    "audit.no_rows": "Нет точек контакта под эти фильтры.",
    "audit.read_only": "Этот аудит вы можете читать; чтобы менять его, нужна роль редактора карты.",
    "audit.saved": "Сохранено как версия {version}: {note}",
    "audit.replaced": "Эти поля тем временем изменил кто-то другой; оставлены ваши значения, прежние сохранены в истории версий:",
    "audit.not_saved": "Не сохранено — исправьте ошибки ({n}):",
    "audit.sheet_tasks": "Задачи",
    "audit.yes": "да",
    "audit.no": "нет",
    "audit.col.map_title": "Карта",
    "audit.col.name": "Точка контакта",
    "audit.col.stage_name": "Этап",
    "audit.col.overdue": "Просрочено",
    "audit.col.days_overdue": "Дней просрочки",
    "audit.col.rank": "Место",
    "audit.col.quadrant": "Приоритет",
    "audit.col.touchpoints": "Точек контакта",
    "audit.col.mean_score": "Средняя оценка",
    "audit.col.min_score": "Худшая оценка",
}
