"""Column names of the touchpoint-table files (CSV/XLSX) that are not touchpoint fields."""

EN = {
    "field.phase": "Phase",
    "field.stage_name": "Stage name",
    "field.source": "From",
    "field.target": "To",
}

RU = {
    "field.phase": "Фаза",
    "field.stage_name": "Название этапа",
    "field.source": "Откуда",
    "field.target": "Куда",
}
