"""Monitoring pages: dashboard, indicator forms, measurements, import, the public page."""

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import openpyxl
from sqlalchemy import func, select

from workshop.extensions import db
from workshop.monitor import services
from workshop.monitor.models import Indicator, Measurement

YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def test_dashboard_shows_domains_goals_and_the_rule(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    page = logged_in.get(f"/plans/{plan.id}/monitor").get_data(as_text=True)
    assert "Economie" in page and "Ruimte" in page
    assert "Jobs in de regio" in page
    assert "How the status is decided" in page
    assert "No data yet" in page  # no measurement yet
    assert 'id="dash-chart-' in page and "<svg" in page  # a chart per indicator
    assert f"/plans/{plan.id}/indicators/new?goal=" in page
    assert "Progress" in logged_in.get(f"/plans/{plan.id}").get_data(as_text=True)


def test_adding_an_indicator_and_a_measurement_changes_the_page(logged_in, goal_plan):
    plan, _ambition, strategic, _operational = goal_plan
    response = logged_in.post(f"/plans/{plan.id}/indicators/new", data={
        "item_id": strategic.id, "name": "Starters", "direction": "up", "unit": "bedrijven",
        "baseline_value": "10", "baseline_date": "2025-01-01", "target_value": "20",
        "target_date": "2030-01-01", "frequency": "yearly"})
    assert response.status_code == 302
    indicator = db.session.scalar(select(Indicator))
    url = f"/plans/{plan.id}/indicators/{indicator.id}"
    assert "No measurements yet." in logged_in.get(url).get_data(as_text=True)
    response = logged_in.post(f"{url}/measurements", data={"date": YESTERDAY, "value": "12,5"})
    assert response.status_code == 302
    page = logged_in.get(url).get_data(as_text=True)
    assert "12.5&nbsp;bedrijven" in page  # never parted at a line end
    assert '<svg viewBox="0 0 640 260"' in page
    assert page.count('class="chart-point"') == 1
    assert "The same as a table" in page


def test_wrong_input_is_explained_and_stores_nothing(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    url = f"/plans/{plan.id}/indicators/{indicator.id}"
    response = logged_in.post(f"{url}/measurements", data={"date": "2999-01-01", "value": "x"})
    assert response.status_code == 422
    assert "Enter a number." in response.get_data(as_text=True)
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = logged_in.post(f"{url}/measurements", data={"date": soon, "value": "3"})
    assert "cannot be dated in the future" in response.get_data(as_text=True)
    response = logged_in.post(f"/plans/{plan.id}/indicators/new", data={
        "item_id": goal_plan[1].id, "name": "Op een ambitie"})
    assert response.status_code == 422
    assert "strategic or operational goals" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    assert db.session.scalar(select(func.count(Indicator.id))) == 1
    assert logged_in.get(f"/plans/{plan.id}/indicators/999").status_code == 404


def test_edit_and_delete_a_measurement_from_the_page(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    measurement = services.add_measurement(indicator, {"date": YESTERDAY, "value": "1100"})
    url = f"/plans/{plan.id}/indicators/{indicator.id}/measurements/{measurement.id}"
    logged_in.post(url, data={"date": YESTERDAY, "value": "1150", "note": "na controle"})
    page = logged_in.get(f"/plans/{plan.id}/indicators/{indicator.id}").get_data(as_text=True)
    assert "na controle" in page and "changed" in page
    logged_in.post(f"{url}/delete")
    page = logged_in.get(f"/plans/{plan.id}/indicators/{indicator.id}").get_data(as_text=True)
    assert "No measurements yet." in page
    assert "deleted" in page and "1,150" in page  # the history keeps it


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_previews_every_problem_and_stores_only_on_confirm(logged_in, goal_plan,
                                                                  indicator):
    plan = goal_plan[0]
    data = _xlsx([["indicator", "datum", "waarde", "opmerking"],
                  ["Jobs in de regio", dt.date(2025, 4, 1), 1100, "Q1"],
                  ["jobs in de regio", "01-07-2025", "1.200,5", ""],
                  ["Onbekend", "2025-07-01", 3, ""],
                  ["Jobs in de regio", "31-02-2025", "veel", ""]])
    response = logged_in.post(f"/plans/{plan.id}/monitor/import", data={
        "file": (io.BytesIO(data), "metingen.xlsx")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "2 rows are fine, 2 have a problem." in page
    assert "unknown indicator" in page and "not a number" in page and "not a date" in page
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
    rows = re.search(r'name="rows" value="([^"]*)"', page).group(1).replace("&#34;", '"')
    response = logged_in.post(f"/plans/{plan.id}/monitor/import/confirm", data={"rows": rows},
                              follow_redirects=True)
    assert "2 measurements imported." in response.get_data(as_text=True)
    assert sorted(m.value for m in db.session.scalars(select(Measurement))) == [1100, 1200.5]
    # The same file again: every row is now a duplicate, nothing more is stored.
    response = logged_in.post(f"/plans/{plan.id}/monitor/import", data={
        "file": (io.BytesIO(data), "metingen.xlsx")}, content_type="multipart/form-data")
    assert "0 rows are fine" in response.get_data(as_text=True)
    assert "already measured" in response.get_data(as_text=True)


def test_a_tampered_confirmation_stores_nothing(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    for rows in ('[[999, "2025-01-01", 1, ""]]', "not json", '[["x"]]',
                 f'[[{indicator.id}, "2025-01-01", 1, ""], [{indicator.id}, "2025-01-01", 2, ""]]',
                 # Text no database stores, as JSON escapes (a 500 before; NUL was stored).
                 f'[[{indicator.id}, "2025-01-01", 1, "a\\ud800b"]]',
                 f'[[{indicator.id}, "2025-01-01", 1, "a\\u0000b"]]'):
        response = logged_in.post(f"/plans/{plan.id}/monitor/import/confirm",
                                  data={"rows": rows})
        assert response.status_code == 302
    assert db.session.scalar(select(func.count(Measurement.id))) == 0


def test_a_file_that_is_not_a_table_is_explained(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    response = logged_in.post(f"/plans/{plan.id}/monitor/import", data={
        "file": (io.BytesIO(b"\x00\x01binary"), "data.pdf")}, content_type="multipart/form-data")
    assert "Only .csv and .xlsx files can be read." in response.get_data(as_text=True)


def test_public_page_shows_progress_until_switched_off(client, logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    services.add_measurement(indicator, {"date": YESTERDAY, "value": "1500"})
    logged_in.post(f"/plans/{plan.id}/monitor/link")
    page = logged_in.get(f"/plans/{plan.id}/monitor").get_data(as_text=True)
    url = re.search(r'id="public-url" type="text" readonly value="([^"]+)"', page).group(1)
    path = urlsplit(url).path  # the address phones on the network use, as the projector's
    logged_in.post("/logout")
    public = client.get(path)
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    assert "Jobs in de regio" in text and "<svg" in text
    assert public.headers["X-Robots-Tag"] == "noindex"
    assert "/monitor" not in text and "Add a measurement" not in text  # read-only
    from tests.conftest import PASSWORD
    client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    client.post(f"/plans/{plan.id}/monitor/link/off")
    client.post("/logout")
    assert client.get(path).status_code == 404
    assert "does not work" in client.get(path).get_data(as_text=True)


def test_thresholds_form(logged_in, goal_plan):
    plan = goal_plan[0]
    logged_in.post(f"/plans/{plan.id}/monitor/thresholds",
                   data={"on_track_tolerance": "5", "off_track_tolerance": "15,5"})
    settings = services.settings(plan)
    assert (settings.on_track_tolerance, settings.off_track_tolerance) == (5, 15.5)
    response = logged_in.post(f"/plans/{plan.id}/monitor/thresholds",
                              data={"on_track_tolerance": "50", "off_track_tolerance": "10"},
                              follow_redirects=True)
    assert "must be at least" in response.get_data(as_text=True)
    assert services.settings(plan).on_track_tolerance == 5


def test_a_name_two_indicators_share_is_flagged_not_guessed(logged_in, goal_plan, indicator):
    plan, _a, _s, operational = goal_plan
    twin = services.add_indicator(plan, operational.id, {"name": "Jobs in de regio"})
    data = (f"indicator;datum;waarde\nJobs in de regio;01-05-2025;7\n{twin.id};01-05-2025;8\n"
            ).encode()
    page = logged_in.post(f"/plans/{plan.id}/monitor/import", data={
        "file": (io.BytesIO(data), "m.csv")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "1 row is fine, 1 has a problem." in page
    assert "two indicators have this name: use its number" in page
    assert f"<td>{twin.id}</td><td>Jobs in de regio</td>" in page  # the numbers to use


def test_the_public_page_leaves_out_internal_notes(client, facilitator, goal_plan, indicator):
    services.add_measurement(indicator, {"date": YESTERDAY, "value": "1500",
                                         "note": "Intern: cijfers nog niet gevalideerd"})
    token = services.new_public_link(goal_plan[0])
    page = client.get(f"/p/{token}").get_data(as_text=True)
    assert "Jobs in de regio" in page and "1,500" in page
    assert "Intern" not in page


def test_editing_keeps_every_digit(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    services.edit_indicator(plan, indicator, {"baseline_value": "1234567.25",
                                              "target_value": "2345678.5"})
    page = logged_in.get(f"/plans/{plan.id}/indicators/{indicator.id}/edit").get_data(
        as_text=True)
    assert 'value="1234567.25"' in page and 'value="2345678.5"' in page


def test_removing_a_goal_says_its_indicators_go_too(logged_in, goal_plan, indicator):
    plan, ambition = goal_plan[0], goal_plan[1]
    page = logged_in.get(f"/plans/{plan.id}/items/{ambition.id}/delete").get_data(as_text=True)
    assert "1 indicator measures it, with its measurements: it goes too." in page


def test_the_public_page_never_sends_a_visitor_to_the_first_run_setup(client, goal_plan):
    # A plan restored with `flask koers import` on a server nobody has set up yet.
    token = services.new_public_link(goal_plan[0])
    response = client.get(f"/p/{token}")
    assert response.status_code == 200 and "Economie" in response.get_data(as_text=True)


def _measured_without_target(goal_plan):
    plan, _ambition, strategic, _operational = goal_plan
    indicator = services.add_indicator(plan, strategic.id, {
        "name": "Zonder streefwaarde", "unit": "ha", "direction": "up"})
    services.add_measurement(indicator, {"date": YESTERDAY, "value": "37,5"})
    return indicator


def _rows(page, css_class):
    return re.findall(rf'<(?:li|article) class="{css_class}">(.*?)</(?:li|article)>', page, re.S)


def test_a_measured_indicator_never_says_no_data_beside_its_value(client, logged_in,
                                                                 goal_plan, indicator):
    plan = goal_plan[0]
    measured = _measured_without_target(goal_plan)
    token = services.new_public_link(plan)
    for lang, no_data, missing in (("en", "No data yet", "No target set"),
                                   ("nl", "Nog geen gegevens", "Geen streefwaarde ingesteld")):
        logged_in.get(f"/language/{lang}")
        dashboard = logged_in.get(f"/plans/{plan.id}/monitor").get_data(as_text=True)
        public = client.get(f"/p/{token}").get_data(as_text=True)
        detail = logged_in.get(f"/plans/{plan.id}/indicators/{measured.id}").get_data(
            as_text=True)
        rows = _rows(dashboard, "indicator-row") + _rows(public, "public-indicator")
        with_value = [r for r in rows if "Zonder streefwaarde" in r]
        assert len(with_value) == 2
        for row in with_value:
            assert "37,5" in row if lang == "nl" else "37.5" in row
            assert missing in row and no_data not in row
        status_line = re.search(r'<p class="status-line">(.*?)</p>', detail, re.S).group(1)
        assert missing in status_line and no_data not in status_line
        # Without any measurement it is still "no data", and says so.
        empty = [r for r in rows if "Jobs in de regio" in r]
        assert empty and all(no_data in r for r in empty)


def test_percentages_and_units_never_break_and_use_the_locale(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    services.add_measurement(indicator, {"date": YESTERDAY, "value": "1234,5"})
    logged_in.get("/language/nl")
    page = logged_in.get(f"/plans/{plan.id}/indicators/{indicator.id}").get_data(as_text=True)
    progress = re.search(r'<dd id="progress">(.*?)</dd>', page, re.S).group(1)
    assert re.search(r'<span class="nowrap">\d+,\d\u00a0%</span>', progress), progress
    assert '<span class="value">1.234,5&nbsp;jobs</span>' in page
    logged_in.get("/language/en")
    page = logged_in.get(f"/plans/{plan.id}/indicators/{indicator.id}").get_data(as_text=True)
    progress = re.search(r'<dd id="progress">(.*?)</dd>', page, re.S).group(1)
    assert re.search(r'<span class="nowrap">\d+\.\d%</span>', progress), progress
    assert '<span class="value">1,234.5&nbsp;jobs</span>' in page
    dashboard = logged_in.get(f"/plans/{plan.id}/monitor").get_data(as_text=True)
    assert re.search(r'<span class="nowrap">\d+\.\d%</span> of the way', dashboard)


def test_dutch_pages_and_forms_use_decimal_commas(logged_in, goal_plan, indicator):
    plan = goal_plan[0]
    services.edit_indicator(plan, indicator, {"baseline_value": "1234567.25",
                                              "target_value": "2345678.5"})
    measurement = services.add_measurement(indicator, {"date": YESTERDAY, "value": "1300.75"})
    logged_in.get("/language/nl")
    url = f"/plans/{plan.id}/indicators/{indicator.id}"
    edit = logged_in.get(f"{url}/edit").get_data(as_text=True)
    assert 'value="1234567,25"' in edit and 'value="2345678,5"' in edit
    page = logged_in.get(f"{url}?edit={measurement.id}").get_data(as_text=True)
    assert 'value="1300,75"' in page  # the measurement typed back
    assert "1.300,75" in page and "1.234.567,25" in page  # latest value, baseline
    chart = page[page.index("<svg"):page.index("</svg>")]
    assert re.search(r"\d\.\d{3}\.\d{3}<", chart)  # tick labels grouped the Dutch way
    # What the form shows goes back in unchanged.
    response = logged_in.post(f"{url}/measurements/{measurement.id}",
                              data={"date": YESTERDAY, "value": "1300,75", "note": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Measurement, measurement.id).value == 1300.75
    logged_in.get("/language/en")
    assert 'value="1234567.25"' in logged_in.get(f"{url}/edit").get_data(as_text=True)


def test_a_range_chart_explains_its_band_not_a_path_to_a_target(logged_in, goal_plan):
    plan, _ambition, strategic, _operational = goal_plan
    indicator = services.add_indicator(plan, strategic.id, {
        "name": "Bezetting", "unit": "%", "direction": "range", "range_low": "85",
        "range_high": "95"})
    services.add_measurement(indicator, {"date": YESTERDAY, "value": "90"})
    page = logged_in.get(f"/plans/{plan.id}/indicators/{indicator.id}").get_data(as_text=True)
    legend = re.search(r'<span class="chart-legend">(.*?)</figcaption>', page, re.S).group(1)
    assert "acceptable range" in legend and "path from baseline" not in legend


def test_a_hostile_workbook_is_refused_on_the_page_in_both_languages(logged_in, goal_plan,
                                                                     indicator, app):
    from tests.monitor import hostile

    plan = goal_plan[0]
    app.config["IMPORT_MAX_LINES"] = 1000
    data = hostile.empty_rows(3000, numbered=True)
    for lang, text in (("en", "The file has more than 1,000 rows, empty rows included."),
                       ("nl", "Het bestand heeft meer dan 1.000 rijen, lege rijen meegeteld.")):
        logged_in.get(f"/language/{lang}")
        response = logged_in.post(f"/plans/{plan.id}/monitor/import", data={
            "file": (io.BytesIO(data), "metingen.xlsx")}, content_type="multipart/form-data")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert text in page
        assert 'name="rows"' not in page  # nothing to confirm
    bomb = hostile.zip_bomb(20)
    response = logged_in.post(f"/plans/{plan.id}/monitor/import", data={
        "file": (io.BytesIO(bomb), "metingen.xlsx")}, content_type="multipart/form-data")
    assert "werkmap hoogstens 10 MB per onderdeel na uitpakken" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Measurement.id))) == 0
