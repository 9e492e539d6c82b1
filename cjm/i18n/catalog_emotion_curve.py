"""Texts of the Emotion curve page (pages/emotion_curve.py) and its figure."""

EN = {
    "curve.nav": "Emotion curve",
    "curve.title": "Emotion curve",
    "curve.caption": (
        "How the customer feels along the journey, from −2 (very negative) to +2 (very positive). "
        "Red is negative (below −0.5), amber neutral (−0.5 … +0.5), green positive (above +0.5)."
    ),
    "curve.compare": "Compare with",
    "curve.compare_help": (
        "Overlay other maps from the library (another persona, the future state). Maps are aligned stage by stage."
    ),
    "curve.hover_votes": "Votes: {n} · mean {mean} · spread {low} … {high} · std {std}",
    "curve.conversion_point": "Conversion point",
    "curve.touchpoints": "Touchpoints",
    "curve.unassessed_legend": "Not assessed (gap)",
    "curve.votes_legend": "Workshop votes (mean, min–max)",
    "curve.pain_legend": "Pain point",
    "curve.lowest": "Lowest",
    "curve.peak": "Peak (remembered)",
    "curve.end": "End (remembered)",
    "curve.peak_and_end": "Peak and end (remembered)",
    "curve.peak_end_legend": "Peak and end: what the customer remembers",
    "curve.competitors_title": "Competitors, stage by stage",
    "curve.competitors_caption": "Our journey and the competitors' journeys for the same persona and stages (rules 1 and 4).",
    "curve.competitors_none": "No competitor's journey for this persona and these stages yet. Give a map the competitor's name on the editor's map tab to compare.",
    "curve.col.map": "Journey",
    "curve.col.touchpoints": "Touchpoints",
    "curve.col.names": "Names",
    "curve.col.emotion": "Emotion (mean)",
    "curve.col.channels": "Channels",
    "curve.low": "Low",
    "curve.axis_emotion": "Emotion",
    "curve.no_touchpoints": "This map has no touchpoints yet: nothing to draw.",
    "curve.unassessed_note": (
        "{n} touchpoint(s) are not assessed yet: {names}. They are gaps in the curve, not zeros."
    ),
    "curve.stage_table": "Average emotion by stage",
    "curve.votes_table": "Workshop votes",
    "curve.col.stage": "Stage",
    "curve.col.phase": "Phase",
    "curve.col.change": "Change",
    "curve.col.votes": "Votes",
    "curve.col.mean": "Mean",
    "curve.col.std": "Std",
    "curve.col.min": "Lowest vote",
    "curve.col.max": "Highest vote",
    "curve.how_to_read": "How to read the curve",
    "curve.how_to_read_text": (
        "- Each marker is a touchpoint, in journey order; shaded bands are stages, grouped by phase.\n"
        "- Stars are conversion points (also a dotted vertical line); red rings are pain points.\n"
        "- The lowest moments carry a callout with their pain point.\n"
        "- Diamonds with bars are workshop votes: the mean, the lowest and highest vote, and n = votes.\n"
        "- Grey rings under the scale are touchpoints not assessed yet: the line breaks there.\n"
        "- Compared maps share the stage axis: a stage is as wide as the busiest map needs, and each "
        "map spreads its touchpoints evenly inside it. Future-state maps are dashed."
    ),
}

RU = {
    "curve.nav": "Кривая эмоций",
    "curve.title": "Кривая эмоций",
    "curve.caption": (
        "Что чувствует клиент на пути: от −2 (очень плохо) до +2 (очень хорошо). "
        "Красный — негатив (ниже −0,5), жёлтый — нейтрально (−0,5 … +0,5), зелёный — позитив (выше +0,5)."
    ),
    "curve.compare": "Сравнить с",
    "curve.compare_help": (
        "Наложите другие карты из библиотеки (другая персона, будущее состояние). Карты выравниваются по этапам."
    ),
    "curve.hover_votes": "Голоса: {n} · среднее {mean} · разброс {low} … {high} · ст. откл. {std}",
    "curve.conversion_point": "Точка конверсии",
    "curve.touchpoints": "Точки контакта",
    "curve.unassessed_legend": "Не оценено (разрыв)",
    "curve.votes_legend": "Голоса воркшопа (среднее, мин–макс)",
    "curve.pain_legend": "Боль",
    "curve.lowest": "Хуже всего",
    "curve.peak": "Пик (запомнится)",
    "curve.end": "Конец (запомнится)",
    "curve.peak_and_end": "Пик и конец (запомнятся)",
    "curve.peak_end_legend": "Пик и конец: что клиент запомнит",
    "curve.competitors_title": "Конкуренты по этапам",
    "curve.competitors_caption": "Наш путь и пути конкурентов для той же персоны и тех же этапов (правила 1 и 4).",
    "curve.competitors_none": "Пути конкурента для этой персоны и этих этапов пока нет. Укажите название конкурента на вкладке карты в редакторе, чтобы сравнить.",
    "curve.col.map": "Путь",
    "curve.col.touchpoints": "Точки контакта",
    "curve.col.names": "Названия",
    "curve.col.emotion": "Эмоция (среднее)",
    "curve.col.channels": "Каналы",
    "curve.low": "Плохо",
    "curve.axis_emotion": "Эмоция",
    "curve.no_touchpoints": "На карте пока нет точек контакта: рисовать нечего.",
    "curve.unassessed_note": ("Не оценено точек: {n} — {names}. На кривой это разрывы, а не нули."),
    "curve.stage_table": "Средняя эмоция по этапам",
    "curve.votes_table": "Голоса воркшопа",
    "curve.col.stage": "Этап",
    "curve.col.phase": "Фаза",
    "curve.col.change": "Изменение",
    "curve.col.votes": "Голосов",
    "curve.col.mean": "Среднее",
    "curve.col.std": "Ст. откл.",
    "curve.col.min": "Мин. голос",
    "curve.col.max": "Макс. голос",
    "curve.how_to_read": "Как читать кривую",
    "curve.how_to_read_text": (
        "- Каждый маркер — точка контакта в порядке пути; цветные полосы — этапы, сгруппированные по фазам.\n"
        "- Звёзды — точки конверсии (и пунктирная вертикаль); красные кольца — боли.\n"
        "- У самых низких моментов — выноска с их болью.\n"
        "- Ромбы с усами — голоса воркшопа: среднее, минимальный и максимальный голос, n — число голосов.\n"
        "- Серые кольца под шкалой — точки, которые ещё не оценены: линия там прерывается.\n"
        "- У сравниваемых карт общая ось этапов: этап такой ширины, какая нужна самой насыщенной карте, "
        "и каждая карта равномерно распределяет в нём свои точки. Карты будущего состояния — пунктиром."
    ),
}
