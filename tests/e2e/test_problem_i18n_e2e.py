"""A malformed import, in Russian, in a real browser: every problem is shown in Russian."""

from tests.e2e.helpers import screenshot, wait_for_app


def test_a_bad_csv_import_shows_russian_problems(new_page):
    page = new_page("?lang=ru")  # the library is the default page, at the root
    page.get_by_role("tab", name="Импорт файла").click()
    bad = "name;stage;emotion\nСайт;consideration;7\n;purchase;1\n".encode("cp1251")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    wait_for_app(page, 1000)
    alert = page.get_by_test_id("stAlertContentError").first
    alert.wait_for()
    alert.scroll_into_view_if_needed()
    screenshot(page, "library-import-problems-ru")
    text = alert.inner_text()
    assert "строка 2" in text and "Эмоция" in text and "вне диапазона" in text, text
    assert "строка 3" in text and "обязательно для заполнения" in text, text
