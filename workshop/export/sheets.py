"""The plan as data: a spreadsheet (a sheet per table) or CSV files (one per table, zipped).

The same tables in both: ambitions, strategic goals and operational goals (one row each,
with its work domain and parent), every vote result per item and group, and every review
comment with its disposition and reply.
"""

import csv
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from workshop.core.text import spreadsheet_safe
from workshop.export import labels as L

SHEET_NAMES = {"ambition": "ambitions", "strategic_goal": "strategic_goals",
               "operational_goal": "operational_goals"}


def tables(report):
    """{name: (headings, rows)} in a fixed order; names are file and sheet names."""
    out = {}
    for level, name in SHEET_NAMES.items():
        headings = [L.t("domain"), L.t("parent"), L.t("text")]
        if level == "strategic_goal":
            headings.append(L.t("horizon"))
        if level == "operational_goal":
            headings += [L.t("owner"), L.t("deadline")]
        headings.append(L.t("means"))
        rows = []
        for item in report["goals"]:
            if item["level"] != level:
                continue
            row = [item["domain"], item["parent"], item["text"]]
            if level == "strategic_goal":
                row.append(item["horizon_year"])
            if level == "operational_goal":
                row += [item["owner"], item["deadline"]]
            row.append(item["note"])
            rows.append(row)
        out[name] = (headings, rows)
    goals = {item["id"]: item for item in report["goals"]}
    out["indicators"] = (
        [L.t("domain"), L.t("goal"), L.t("indicator"), L.t("owner"), L.t("baseline"),
         L.t("target"), L.t("target_date"), L.t("range"), L.t("latest"), L.t("latest_date"),
         L.t("progress"), L.t("status"), L.t("overdue")],
        [[goals.get(goal_id, {}).get("domain", ""), goals.get(goal_id, {}).get("text", ""),
          i["name"] + (f" ({i['unit']})" if i["unit"] else ""), i["owner"],
          i["baseline_value"], i["target_value"], i["target_date"],
          f"{L.number(i['range_low'])}–{L.number(i['range_high'])}"
          if i["direction"] == "range" else "",
          i["latest_value"], i["latest_date"], i["progress"],
          str(L.INDICATOR_STATUSES[i["status"]]), "✓" if i["overdue"] else ""]
         for goal_id, items in report["indicators"].items() for i in items])
    out["vote_results"] = (
        [L.t("workshop"), L.t("date"), L.t("method"), L.t("domain"), L.t("item"),
         L.t("value"), L.t("votes"), L.t("group"), L.t("value")],
        _vote_rows(report))
    out["review_comments"] = (
        [L.t("round"), L.t("domain"), L.t("level"), L.t("goal"), L.t("stakeholder"),
         L.t("organisation"), L.t("group"), L.t("reaction"), L.t("comment"),
         L.t("rewording"), L.t("disposition"), L.t("reply")],
        [[r["title"], c["domain"], str(L.LEVELS.get(c["level"], c["level"])), c["goal"],
          c["name"], c["organisation"], c["group"], str(L.REACTIONS[c["reaction"]]),
          c["text"], c["rewording"], str(L.DISPOSITIONS[c["disposition"]]), c["reply"]]
         for r in report["reviews"] for c in r["comments"]])
    return out


def _vote_rows(report):
    """One row per item, and one more per item and group where groups are shown apart."""
    rows = []
    for workshop in report["workshops"]:
        for vote in workshop["votes"]:
            for domain in vote["domains"]:
                for item in domain["items"]:
                    base = [workshop["title"], workshop["date"], str(L.METHODS[vote["method"]]),
                            domain["name"] or "", item["text"], item["value"], item["count"]]
                    rows.append([*base, L.t("total"), item["value"]])
                    rows += [[*base, group, value]
                             for group, value in zip(domain["groups"], item["by_group"],
                                                     strict=True)]
    return rows


def xlsx(report):
    book = Workbook(write_only=False)
    book.remove(book.active)
    for name, (headings, rows) in tables(report).items():
        sheet = book.create_sheet(name)
        sheet.append([str(h) for h in headings])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # stored as text: Excel shows it, never runs it
        sheet.freeze_panes = "A2"
        for index, heading in enumerate(headings, start=1):
            width = max([len(str(heading))] + [len(str(r[index - 1] or "")) for r in rows[:200]])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, width + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_zip(report):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (headings, rows) in tables(report).items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([str(h) for h in headings])
            writer.writerows([["" if v is None else spreadsheet_safe(v) for v in row]
                              for row in rows])
            # With a byte-order mark, Excel opens the file as UTF-8 (accents intact).
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return out.getvalue()
