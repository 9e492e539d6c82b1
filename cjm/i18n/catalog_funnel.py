"""Texts of the Funnel page (funnels from uploaded data, tied to the journey map)."""

EN = {
    "funnel.nav": "Funnel",
    "funnel.title": "Funnel: where customers drop off",
    "funnel.intro": (
        "Upload a funnel table, a GA4 or Yandex Metrica export, or a raw event log. See how many people "
        "reach each step, where the biggest drop is, and put the counts on the journey map."
    ),
    "funnel.not_modelled": "What this page does not model",
    "funnel.not_modelled_text": (
        "- **Optional steps**: every step is required.\n"
        "- **Totals counting**: people are counted once (unique), not every time they do a step.\n"
        "- **Session-based windows**: the conversion window is clock time from step 1, not a session.\n"
        "- **Person merging**: one id is one person; anonymous and logged-in ids are not joined.\n"
        "- **Date range**: every event in the file counts."
    ),
    "funnel.source": "Data",
    "funnel.source.upload": "Upload a file",
    "funnel.source.path": "File on this computer (large logs)",
    "funnel.source.sample": "Sample file",
    "funnel.upload": "CSV, XLSX or Parquet",
    "funnel.upload_help": (
        "An aggregated funnel (step, users[, segment]), a GA4 funnel export, a Yandex Metrica export or an "
        "event log (person id, event, time, any property columns). UTF-8 or cp1251; , ; or tab."
    ),
    "funnel.path": "Path of a CSV or Parquet file",
    "funnel.paths_off": "Reading files on the server is off. To turn it on, start the app with the environment "
    "variable `CJM_FUNNEL_PATHS` set to the folders it may read from (separated by `:`), e.g. "
    "`CJM_FUNNEL_PATHS=/srv/logs make run`. Until then, upload the file.",
    "funnel.paths_on": "Files are read from: {folders}",
    "funnel.first_event_differs": "{n} of {total} people begin with “{first}”; this funnel starts at “{step}”, "
    "so it counts only people who did “{step}” (add “{first}” as step 1 to count from where people come in).",
    "funnel.path_load": "Read the file",
    "funnel.sample": "Sample",
    "funnel.no_data": "Choose data above to see a funnel.",
    "funnel.detected": "**{name}**: {kind} · encoding {encoding} · delimiter {delimiter} · decimal mark {decimal}",
    "funnel.kind.aggregated": "aggregated funnel",
    "funnel.kind.ga4": "GA4 funnel export",
    "funnel.kind.metrica": "Yandex Metrica export",
    "funnel.kind.events": "event log",
    "funnel.mapping": "Which column is which?",
    "funnel.mapping_needed": "The columns are not clear. Please say which column holds what.",
    "funnel.mapping_change": "Change the columns",
    "funnel.mapping_apply": "Use these columns",
    "funnel.mapping_none": "— none —",
    "funnel.role.step": "Step name",
    "funnel.role.users": "Number of people",
    "funnel.role.segment": "Segment (optional)",
    "funnel.role.user": "Person id",
    "funnel.role.event": "Event name",
    "funnel.role.time": "Time",
    "funnel.settings": "Funnel",
    "funnel.steps": "Steps, in order",
    "funnel.steps_help": "Pick the events in funnel order. To repeat a step, type the steps below.",
    "funnel.steps_text": "Or type the steps, comma-separated (a name may repeat)",
    "funnel.steps_pick": "Pick at least one step.",
    "funnel.mode": "Order",
    "funnel.mode.ordered": "In this order (others may happen between)",
    "funnel.mode.strict": "Strictly in a row",
    "funnel.mode.any": "In any order",
    "funnel.mode_help": (
        "In this order: later steps after earlier ones, other events allowed in between. Strictly: any other "
        "event between two steps breaks the chain (repeating the current step does not). Any order: how many "
        "of the steps a person did within one window."
    ),
    "funnel.window": "Conversion window",
    "funnel.window_help": "Later steps count only if they happen within this time of step 1 (edge included).",
    "funnel.unit.min": "minutes",
    "funnel.unit.h": "hours",
    "funnel.unit.d": "days",
    "funnel.unit.w": "weeks",
    "funnel.unit.month": "months (30 days)",
    "funnel.by": "Break down by",
    "funnel.by_none": "— no breakdown —",
    "funnel.by_help": "Each person is counted in the segment of their step-1 event (first touch).",
    "funnel.exclude": "Exclude people who do",
    "funnel.exclude_none": "nobody excluded",
    "funnel.steps_none": "choose the steps",
    "funnel.exclude_help": "An attempt with this event between the first and the last step does not count.",
    "funnel.events_available": "Events in the log (people): {events}",
    "funnel.computing": "Counting people through the steps…",
    "funnel.metric.entered": "Entered (step 1)",
    "funnel.metric.completed": "Completed (last step)",
    "funnel.metric.conversion": "Overall conversion",
    "funnel.metric.biggest_drop": "Biggest drop",
    "funnel.metric.no_drop": "none",
    "funnel.biggest_callout": "Biggest drop: {rate:.0%} of people ({n}) are lost between “{before}” and “{step}”.",
    "funnel.time_step": "Show the move",
    "funnel.chart.biggest_drop": "Biggest drop: {rate:.0%} lost before “{step}”",
    "funnel.chart.users": "People",
    "funnel.table": "Step by step",
    "funnel.table_caption": (
        "Drop-off = people of the previous step who did not reach this one. Ranges are 95% Wilson intervals."
    ),
    "funnel.col.step_number": "#",
    "funnel.col.step": "Step",
    "funnel.col.users": "People",
    "funnel.col.step_conversion": "From previous step",
    "funnel.col.overall_conversion": "From step 1",
    "funnel.col.drop_off": "Dropped off",
    "funnel.col.drop_off_rate": "Drop-off rate (95% range)",
    "funnel.col.biggest_drop": "▼",
    "funnel.biggest_mark": "◀ biggest",
    "funnel.warning": "Check the file: {text}",
    "funnel.notes": "The file says: {text}",
    "funnel.note.nobody_first": "nobody did the first step “{step}”",
    "funnel.note.nobody_any": "nobody did any step",
    "funnel.note.all_excluded": "every attempt was excluded (excluding events: {events})",
    "funnel.note.total_row_skipped": "line {line}: the total row “{step}” is not a step and was skipped.",
    "funnel.note.date_range": "The file covers {start} – {end}.",
    "funnel.note.pseudo_id": "user_id is empty on most rows: people are counted by “{column}” (one browser or "
    "app install is one person).",
    "funnel.note.count_rises": "the count rises from step “{before}” ({n_before}) to step “{step}” ({n}) "
    "(line {line}): a funnel's counts should only fall",
    "funnel.note.count_rises_in_segment": "the count rises from step “{before}” ({n_before}) to step “{step}” "
    "({n}) in segment “{segment}” (line {line}): a funnel's counts should only fall",
    "funnel.segments": "Segments side by side",
    "funnel.segments_caption": "Share of each segment's step-1 people who reached each step (bars show 95% ranges).",
    "funnel.chart.overall": "Reached the step (% of step 1)",
    "funnel.segment": "Segment",
    "funnel.time": "Time to convert",
    "funnel.time_caption": "Time between consecutive steps of the counted attempt; median and 90th percentile.",
    "funnel.time.people": "People",
    "funnel.time.median": "Median",
    "funnel.time.p90": "90% convert within",
    "funnel.time.total": "Step 1 → last step",
    "funnel.chart.minutes": "Minutes from the previous step",
    "funnel.chart.hours": "Hours from the previous step",
    "funnel.chart.days": "Days from the previous step",
    "funnel.chart.seconds": "Seconds from the previous step",
    "funnel.chart.count": "People",
    "funnel.trend": "Conversion by week of entry",
    "funnel.chart.week": "Week of entry",
    "funnel.chart.conversion": "Completed the funnel (%)",
    "funnel.chart.entered": "Entered",
    "funnel.downloads": "Downloads",
    "funnel.download_csv": "Funnel table (CSV)",
    "funnel.download_xlsx": "Funnel table (XLSX)",
    "funnel.dropped_step": "People who dropped off before step",
    "funnel.download_dropped": "Download {n} people (CSV)",
    "funnel.journey": "On the journey map",
    "funnel.journey_no_map": "Open a map in the Library to put these counts on its touchpoints.",
    "funnel.journey_caption": (
        "Match each step to a touchpoint of “{title}” (suggested by name; change any). Saving writes the "
        "people counts to the touchpoints and to the transitions between them, as a new version of the map."
    ),
    "funnel.journey_step": "Step “{step}”",
    "funnel.journey_unmapped": "— not on the map —",
    "funnel.journey_missing_edges": "No transition on the map between: {pairs}.",
    "funnel.journey_add_edges": "Add the missing transitions",
    "funnel.journey_save": "Save the counts onto the map",
    "funnel.journey_saved": "Saved as version {version}: {tps} touchpoints and {edges} transitions now carry people counts.",
    "funnel.journey_nothing": "Map at least one step to a touchpoint first.",
    "funnel.journey_source": "The counts on this map came from “{source}” (saved {date} UTC).",
    "funnel.match.step": "Step",
    "funnel.match.touchpoint": "Suggested touchpoint",
    "funnel.match.confidence": "Match",
    "funnel.match.sure": "sure ({score})",
    "funnel.match.unsure": "a guess ({score}): not pre-selected",
    "funnel.match.none": "no touchpoint alike",
    "funnel.match_caption": "Suggestions come from the names of steps and touchpoints. Only sure ones are "
    "pre-selected below; pick the touchpoint for the others yourself, or leave them off the map.",
    "funnel.journey_replaces": "Saving replaces the counts of the earlier funnel on {n} touchpoints and transitions "
    "this funnel does not set (they are cleared).",
    "funnel.journey_clear_others": "Also clear the counts on {n} other touchpoints and transitions (typed by hand "
    "or of unknown origin), so the map shows this funnel only",
    "funnel.journey_cleared": "Counts cleared on {n} touchpoints and transitions.",
    "funnel.pain": "Pain × drop-off",
    "funnel.pain_caption": (
        "Touchpoints where a negative emotion meets many people leaving (at least {rate:.0%} do not reach the "
        "next step). Fix these first."
    ),
    "funnel.pain_threshold": "A large drop: people leaving a touchpoint at least",
    "funnel.pain_none": "No touchpoint combines a negative emotion with a large drop.",
    "funnel.pain.touchpoint": "Touchpoint",
    "funnel.pain.emotion": "Emotion",
    "funnel.pain.pain_point": "Pain point",
    "funnel.pain.leave_rate": "Leave here",
    "funnel.pain.flag": "Pain × drop-off",
}

RU = {
    "funnel.nav": "Воронка",
    "funnel.title": "Воронка: где клиенты уходят",
    "funnel.intro": (
        "Загрузите таблицу воронки, выгрузку GA4 или Яндекс Метрики либо сырой лог событий. Видно, сколько "
        "людей доходит до каждого шага, где самый большой провал, и числа можно перенести на карту пути."
    ),
    "funnel.not_modelled": "Чего эта страница не учитывает",
    "funnel.not_modelled_text": (
        "- **Необязательные шаги**: каждый шаг обязателен.\n"
        "- **Подсчёт всех совершений**: человек считается один раз (уникально), а не при каждом действии.\n"
        "- **Окна по сессиям**: окно конверсии — время от шага 1, а не сессия.\n"
        "- **Склейка людей**: один идентификатор — один человек; анонимные и вошедшие не объединяются.\n"
        "- **Период**: учитываются все события файла."
    ),
    "funnel.source": "Данные",
    "funnel.source.upload": "Загрузить файл",
    "funnel.source.path": "Файл на этом компьютере (большие логи)",
    "funnel.source.sample": "Пример",
    "funnel.upload": "CSV, XLSX или Parquet",
    "funnel.upload_help": (
        "Готовая воронка (шаг, пользователи[, сегмент]), выгрузка воронки GA4, отчёт Яндекс Метрики или лог "
        "событий (id человека, событие, время, любые свойства). UTF-8 или cp1251; разделитель , ; или табуляция."
    ),
    "funnel.path": "Путь к файлу CSV или Parquet",
    "funnel.paths_off": "Чтение файлов с сервера выключено. Чтобы включить его, запустите приложение с переменной "
    "окружения `CJM_FUNNEL_PATHS`, в которой перечислены папки, откуда можно читать (через `:`), например "
    "`CJM_FUNNEL_PATHS=/srv/logs make run`. А пока загрузите файл.",
    "funnel.paths_on": "Файлы читаются из папок: {folders}",
    "funnel.first_event_differs": "{n} из {total} человек начинают с «{first}»; эта воронка начинается с «{step}» "
    "и считает только тех, кто сделал «{step}» (добавьте «{first}» первым шагом, чтобы считать от входа).",
    "funnel.path_load": "Прочитать файл",
    "funnel.sample": "Пример",
    "funnel.no_data": "Выберите данные выше, чтобы увидеть воронку.",
    "funnel.detected": "**{name}**: {kind} · кодировка {encoding} · разделитель {delimiter} · десятичный знак {decimal}",
    "funnel.kind.aggregated": "готовая воронка",
    "funnel.kind.ga4": "выгрузка воронки GA4",
    "funnel.kind.metrica": "отчёт Яндекс Метрики",
    "funnel.kind.events": "лог событий",
    "funnel.mapping": "Какой столбец что содержит?",
    "funnel.mapping_needed": "Столбцы распознаны неуверенно. Укажите, где что.",
    "funnel.mapping_change": "Изменить столбцы",
    "funnel.mapping_apply": "Использовать эти столбцы",
    "funnel.mapping_none": "— нет —",
    "funnel.role.step": "Название шага",
    "funnel.role.users": "Число людей",
    "funnel.role.segment": "Сегмент (необязательно)",
    "funnel.role.user": "Id человека",
    "funnel.role.event": "Событие",
    "funnel.role.time": "Время",
    "funnel.settings": "Воронка",
    "funnel.steps": "Шаги по порядку",
    "funnel.steps_help": "Выберите события в порядке воронки. Чтобы повторить шаг, впишите шаги ниже.",
    "funnel.steps_text": "Или впишите шаги через запятую (название может повторяться)",
    "funnel.steps_pick": "Выберите хотя бы один шаг.",
    "funnel.mode": "Порядок",
    "funnel.mode.ordered": "В этом порядке (между шагами может быть что угодно)",
    "funnel.mode.strict": "Строго подряд",
    "funnel.mode.any": "В любом порядке",
    "funnel.mode_help": (
        "В этом порядке: следующие шаги после предыдущих, другие события между ними допустимы. Строго подряд: "
        "любое другое событие между шагами обрывает цепочку (повтор текущего шага — нет). В любом порядке: "
        "сколько шагов человек сделал в пределах одного окна."
    ),
    "funnel.window": "Окно конверсии",
    "funnel.window_help": "Следующие шаги засчитываются, если случились не позже этого срока от шага 1 (граница включена).",
    "funnel.unit.min": "минут",
    "funnel.unit.h": "часов",
    "funnel.unit.d": "дней",
    "funnel.unit.w": "недель",
    "funnel.unit.month": "месяцев (по 30 дней)",
    "funnel.by": "Разбить по",
    "funnel.by_none": "— без разбивки —",
    "funnel.by_help": "Человек попадает в сегмент своего события шага 1 (первое касание).",
    "funnel.exclude": "Исключить тех, кто сделал",
    "funnel.exclude_none": "никого не исключать",
    "funnel.steps_none": "выберите шаги",
    "funnel.exclude_help": "Попытка с этим событием между первым и последним шагом не засчитывается.",
    "funnel.events_available": "События в логе (людей): {events}",
    "funnel.computing": "Считаем людей по шагам…",
    "funnel.metric.entered": "Вошли (шаг 1)",
    "funnel.metric.completed": "Дошли до конца",
    "funnel.metric.conversion": "Общая конверсия",
    "funnel.metric.biggest_drop": "Самый большой провал",
    "funnel.metric.no_drop": "нет",
    "funnel.biggest_callout": "Самый большой провал: {rate:.0%} людей ({n}) теряются между «{before}» и «{step}».",
    "funnel.time_step": "Показать переход",
    "funnel.chart.biggest_drop": "Самый большой провал: {rate:.0%} уходят перед «{step}»",
    "funnel.chart.users": "Людей",
    "funnel.table": "По шагам",
    "funnel.table_caption": ("Отток — люди предыдущего шага, не дошедшие до этого. Диапазоны — 95% интервалы Уилсона."),
    "funnel.col.step_number": "№",
    "funnel.col.step": "Шаг",
    "funnel.col.users": "Людей",
    "funnel.col.step_conversion": "От предыдущего шага",
    "funnel.col.overall_conversion": "От шага 1",
    "funnel.col.drop_off": "Ушли",
    "funnel.col.drop_off_rate": "Доля оттока (95% диапазон)",
    "funnel.col.biggest_drop": "▼",
    "funnel.biggest_mark": "◀ провал",
    "funnel.warning": "Проверьте файл: {text}",
    "funnel.notes": "В файле указано: {text}",
    "funnel.note.nobody_first": "первый шаг «{step}» не сделал никто",
    "funnel.note.nobody_any": "никто не сделал ни одного шага",
    "funnel.note.all_excluded": "все попытки исключены (исключающие события: {events})",
    "funnel.note.total_row_skipped": "строка {line}: итоговая строка «{step}» — не шаг, она пропущена.",
    "funnel.note.date_range": "Период в файле: {start} – {end}.",
    "funnel.note.pseudo_id": "user_id пуст в большинстве строк: люди считаются по «{column}» (один браузер или "
    "одна установка приложения — один человек).",
    "funnel.note.count_rises": "число людей растёт от шага «{before}» ({n_before}) к шагу «{step}» ({n}) "
    "(строка {line}): в воронке оно должно только убывать",
    "funnel.note.count_rises_in_segment": "число людей растёт от шага «{before}» ({n_before}) к шагу «{step}» "
    "({n}) в сегменте «{segment}» (строка {line}): в воронке оно должно только убывать",
    "funnel.segments": "Сегменты рядом",
    "funnel.segments_caption": "Доля людей шага 1 каждого сегмента, дошедших до шага (отрезки — 95% диапазоны).",
    "funnel.chart.overall": "Дошли до шага (% от шага 1)",
    "funnel.segment": "Сегмент",
    "funnel.time": "Время до конверсии",
    "funnel.time_caption": "Время между соседними шагами засчитанной попытки; медиана и 90-й процентиль.",
    "funnel.time.people": "Людей",
    "funnel.time.median": "Медиана",
    "funnel.time.p90": "90% успевают за",
    "funnel.time.total": "Шаг 1 → последний шаг",
    "funnel.chart.minutes": "Минут от предыдущего шага",
    "funnel.chart.hours": "Часов от предыдущего шага",
    "funnel.chart.days": "Дней от предыдущего шага",
    "funnel.chart.seconds": "Секунд от предыдущего шага",
    "funnel.chart.count": "Людей",
    "funnel.trend": "Конверсия по неделе входа",
    "funnel.chart.week": "Неделя входа",
    "funnel.chart.conversion": "Прошли воронку (%)",
    "funnel.chart.entered": "Вошли",
    "funnel.downloads": "Скачать",
    "funnel.download_csv": "Таблица воронки (CSV)",
    "funnel.download_xlsx": "Таблица воронки (XLSX)",
    "funnel.dropped_step": "Люди, ушедшие перед шагом",
    "funnel.download_dropped": "Скачать {n} человек (CSV)",
    "funnel.journey": "На карте пути",
    "funnel.journey_no_map": "Откройте карту в Библиотеке, чтобы перенести эти числа на её точки контакта.",
    "funnel.journey_caption": (
        "Сопоставьте каждый шаг с точкой контакта карты «{title}» (подсказано по названию; можно изменить). "
        "При сохранении числа людей запишутся в точки контакта и переходы между ними — новой версией карты."
    ),
    "funnel.journey_step": "Шаг «{step}»",
    "funnel.journey_unmapped": "— нет на карте —",
    "funnel.journey_missing_edges": "На карте нет перехода между: {pairs}.",
    "funnel.journey_add_edges": "Добавить недостающие переходы",
    "funnel.journey_save": "Сохранить числа на карту",
    "funnel.journey_saved": "Сохранено как версия {version}: у {tps} точек контакта и {edges} переходов теперь есть числа людей.",
    "funnel.journey_nothing": "Сначала сопоставьте хотя бы один шаг с точкой контакта.",
    "funnel.journey_source": "Числа на этой карте взяты из «{source}» (сохранено {date} UTC).",
    "funnel.match.step": "Шаг",
    "funnel.match.touchpoint": "Предлагаемая точка контакта",
    "funnel.match.confidence": "Совпадение",
    "funnel.match.sure": "уверенное ({score})",
    "funnel.match.unsure": "догадка ({score}): не выбрана заранее",
    "funnel.match.none": "похожей точки нет",
    "funnel.match_caption": "Предложения основаны на названиях шагов и точек контакта. Ниже заранее выбраны только "
    "уверенные; для остальных выберите точку сами или оставьте шаг без неё.",
    "funnel.journey_replaces": "Сохранение заменит числа прежней воронки: у {n} точек контакта и переходов, которым "
    "эта воронка чисел не даёт, они будут стёрты.",
    "funnel.journey_clear_others": "Стереть и числа у {n} других точек контакта и переходов (введённые вручную или "
    "неизвестного происхождения), чтобы карта показывала только эту воронку",
    "funnel.journey_cleared": "Числа стёрты у {n} точек контакта и переходов.",
    "funnel.pain": "Боль × отток",
    "funnel.pain_caption": (
        "Точки контакта, где негативная эмоция совпадает с большим оттоком (не меньше {rate:.0%} не доходят до "
        "следующего шага). Их стоит исправлять первыми."
    ),
    "funnel.pain_threshold": "Большой отток: с точки контакта уходят не меньше",
    "funnel.pain_none": "Нет точек контакта, где негативная эмоция совпадает с большим оттоком.",
    "funnel.pain.touchpoint": "Точка контакта",
    "funnel.pain.emotion": "Эмоция",
    "funnel.pain.pain_point": "Боль",
    "funnel.pain.leave_rate": "Уходят здесь",
    "funnel.pain.flag": "Боль × отток",
}
