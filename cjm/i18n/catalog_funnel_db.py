"""Texts of funnels counted in a database (ClickHouse, PostgreSQL): the source form of the Funnel page
and the errors of ``cjm.funnel.sources`` (English as the error's own message)."""

EN = {
    # errors (cjm.funnel.sources.FunnelSourceError): the English must be the exception's message
    "problem.funnel.db_bad_url": "database '{name}': unknown kind of URL (use postgresql://, clickhouse:// or chdb://)",
    "problem.funnel.db_timeout": "database '{name}': the query took longer than {seconds} s and was stopped",
    "problem.funnel.db_no_table": "database '{name}': the table does not exist",
    "problem.funnel.db_no_column": "database '{name}': a column does not exist in the table",
    "problem.funnel.db_refused_query": "database '{name}': the database refused the query (permissions)",
    "problem.funnel.db_connect": "database '{name}': cannot connect ({where})",
    "problem.funnel.db_query_failed": "database '{name}': the query failed: {detail}",
    "problem.funnel.db_table_missing": "database '{name}': there is no table or view '{table}'",
    "problem.funnel.db_column_missing": "database '{name}': table '{table}' has no column '{column}'",
    "problem.funnel.db_time_type": "database '{name}': column '{column}' ({type}) holds no date-time or Unix time",
    "problem.funnel.db_unknown_name": "no database connection named '{name}' (configured: {known})",
    "problem.funnel.db_chdb_other_folder": "the embedded ClickHouse already uses another data folder in this process",
    "problem.funnel.db_chdb_no_folder": "no ClickHouse data folder at {path}",
    "problem.funnel.date_range_order": "the date range ends before it starts",
    "problem.funnel.date_value": "not a date: {value!r}",
    # the Funnel page's database source
    "funnel.source.database": "Database (ClickHouse, PostgreSQL)",
    "funnel.db.none": (
        "No database connection is configured. Name one in the environment (CJM_FUNNEL_DB_<NAME>=url) or in "
        "the [funnel_databases] section of .streamlit/secrets.toml; see docs/funnel.md."
    ),
    "funnel.db.connection": "Connection",
    "funnel.db.where": "{where}",
    "funnel.db.table": "Table or view",
    "funnel.db.no_tables": "The connection sees no tables.",
    "funnel.db.columns": "Which column is which?",
    "funnel.db.user": "Person id",
    "funnel.db.event": "Event name",
    "funnel.db.time": "Time",
    "funnel.db.time_kind": "The time column holds",
    "funnel.db.time_kind.timestamp": "date and time",
    "funnel.db.time_kind.epoch_s": "Unix seconds",
    "funnel.db.time_kind.epoch_ms": "Unix milliseconds",
    "funnel.db.time_kind.epoch_us": "Unix microseconds",
    "funnel.db.properties": "Property columns (for a breakdown)",
    "funnel.db.use": "Use these columns",
    "funnel.db.dates": "Date range (days of step 1, UTC)",
    "funnel.db.all_dates": "All dates",
    "funnel.db.from": "From",
    "funnel.db.to": "To (inclusive)",
    "funnel.db.computed": "Counted in the database ({where}): only the counts came back.",
    "funnel.db.not_here": (
        "People who dropped off and the histogram of one move need each person's events: they are not "
        "fetched from a database."
    ),
    "funnel.db.events_listed": "Step names from the {n} most frequent events of the table.",
}

RU = {
    "problem.funnel.db_bad_url": (
        "база «{name}»: неизвестный вид адреса (нужен postgresql://, clickhouse:// или chdb://)"
    ),
    "problem.funnel.db_timeout": "база «{name}»: запрос шёл дольше {seconds} с и был остановлен",
    "problem.funnel.db_no_table": "база «{name}»: таблицы нет",
    "problem.funnel.db_no_column": "база «{name}»: в таблице нет одного из столбцов",
    "problem.funnel.db_refused_query": "база «{name}»: база отказалась выполнить запрос (права доступа)",
    "problem.funnel.db_connect": "база «{name}»: не удаётся подключиться ({where})",
    "problem.funnel.db_query_failed": "база «{name}»: запрос не выполнен: {detail}",
    "problem.funnel.db_table_missing": "база «{name}»: нет таблицы или представления «{table}»",
    "problem.funnel.db_column_missing": "база «{name}»: в таблице «{table}» нет столбца «{column}»",
    "problem.funnel.db_time_type": "база «{name}»: в столбце «{column}» ({type}) не дата-время и не Unix-время",
    "problem.funnel.db_unknown_name": "нет подключения к базе с именем «{name}» (настроены: {known})",
    "problem.funnel.db_chdb_other_folder": "встроенный ClickHouse в этом процессе уже работает с другой папкой данных",
    "problem.funnel.db_chdb_no_folder": "нет папки данных ClickHouse: {path}",
    "problem.funnel.date_range_order": "диапазон дат заканчивается раньше, чем начинается",
    "problem.funnel.date_value": "это не дата: {value!r}",
    "funnel.source.database": "База данных (ClickHouse, PostgreSQL)",
    "funnel.db.none": (
        "Подключения к базам не настроены. Задайте их в окружении (CJM_FUNNEL_DB_<ИМЯ>=адрес) или в разделе "
        "[funnel_databases] файла .streamlit/secrets.toml; см. docs/funnel.md."
    ),
    "funnel.db.connection": "Подключение",
    "funnel.db.where": "{where}",
    "funnel.db.table": "Таблица или представление",
    "funnel.db.no_tables": "В этом подключении нет таблиц.",
    "funnel.db.columns": "Какой столбец что содержит?",
    "funnel.db.user": "Id человека",
    "funnel.db.event": "Название события",
    "funnel.db.time": "Время",
    "funnel.db.time_kind": "В столбце времени",
    "funnel.db.time_kind.timestamp": "дата и время",
    "funnel.db.time_kind.epoch_s": "Unix-секунды",
    "funnel.db.time_kind.epoch_ms": "Unix-миллисекунды",
    "funnel.db.time_kind.epoch_us": "Unix-микросекунды",
    "funnel.db.properties": "Столбцы свойств (для разбивки)",
    "funnel.db.use": "Использовать эти столбцы",
    "funnel.db.dates": "Диапазон дат (дни первого шага, UTC)",
    "funnel.db.all_dates": "Все даты",
    "funnel.db.from": "С",
    "funnel.db.to": "По (включительно)",
    "funnel.db.computed": "Посчитано в базе ({where}): вернулись только числа.",
    "funnel.db.not_here": (
        "Список ушедших людей и гистограмма одного перехода требуют событий каждого человека: из базы они "
        "не загружаются."
    ),
    "funnel.db.events_listed": "Названия шагов — из {n} самых частых событий таблицы.",
}
