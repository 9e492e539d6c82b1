"""An import's problems are shown in the interface language (issue #2), through app.py."""

from tests.hostile import plain


def _import_bad_csv(at):
    bad = "name;stage;emotion\nСайт;consideration;7\n;purchase;1\n".encode("cp1251")
    at.file_uploader(key="library.upload").upload("bad.csv", bad, "text/csv").run()
    assert not at.exception, at.exception
    assert at.error, "no error shown"
    return plain(at.error[0].value)


def test_a_bad_csv_import_shows_its_problems_in_russian(make_app):
    from cjm.store import get_store

    at = make_app(lang="ru")
    before = len(get_store().list_maps())
    message = _import_bad_csv(at)
    assert "строка 2" in message and "Эмоция" in message and "вне диапазона -2 … 2" in message
    assert "строка 3" in message and "обязательно для заполнения" in message
    assert "line 2" not in message and "is outside" not in message
    assert len(get_store().list_maps()) == before


def test_the_same_import_in_english_reads_as_before(make_app):
    message = _import_bad_csv(make_app())
    assert "line 2, field 'emotion': 7 is outside -2 … 2" in message
    assert "line 3, field 'name': is required" in message


def test_an_empty_file_is_reported_in_russian(make_app):
    at = make_app(lang="ru")
    at.file_uploader(key="library.upload").upload("пусто.csv", b"", "text/csv").run()
    assert not at.exception, at.exception
    assert at.error and "пусто.csv: файл пустой" in plain(at.error[0].value)
