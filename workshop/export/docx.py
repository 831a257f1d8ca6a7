"""The draft plan as a Word document (python-docx).

Headings use Word's own "Heading 1–4" styles, so the navigation pane and the table of
contents work; the contents field is marked dirty, so Word fills it in on opening.
"""

import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from workshop.export import labels as L

HEADING_FOR_LEVEL = {"ambition": 2, "strategic_goal": 3, "operational_goal": 4}


def render(report):
    document = Document()
    _styles(document)
    doc, meta = report["doc"], report["meta"]
    _title_page(document, doc, meta)
    _contents(document)
    if doc["mission"]:
        document.add_heading(L.t("mission"), 1)
        document.add_paragraph(doc["mission"], style="Intense Quote")
    if doc["tagline"]:
        document.add_heading(L.t("tagline"), 1)
        document.add_paragraph(doc["tagline"], style="Quote")
    for domain in doc["domains"]:
        document.add_heading(domain["name"], 1)
        if not domain["items"]:
            document.add_paragraph(L.t("no_items"))
        for node in domain["items"]:
            _item(document, node, report["indicators"])
    _appendix(document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _styles(document):
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    document.core_properties.author = "Koers"


def _title_page(document, doc, meta):
    document.core_properties.title = doc["title"]
    if doc["organisation"]:
        document.add_paragraph(doc["organisation"], style="Subtitle")
    document.add_paragraph(doc["title"], style="Title")
    horizon = doc.get("horizon") or [None, None]
    if horizon[0]:
        document.add_paragraph(f"{horizon[0]}–{horizon[1]}", style="Subtitle")
    document.add_paragraph(L.status_line(meta))
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _contents(document):
    """A Word TOC field over headings 1–3, filled in by Word when the file opens."""
    document.add_paragraph(L.t("contents"), style="TOC Heading")
    run = document.add_paragraph().add_run()
    begin, instr, separate, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"),
                                   OxmlElement("w:fldChar"), OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-3" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    hint = OxmlElement("w:t")
    hint.text = L.t("contents_hint")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, hint, end):
        run._r.append(element)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _item(document, node, indicators):
    heading = document.add_heading(level=HEADING_FOR_LEVEL[node["level"]])
    label = heading.add_run(f"{L.LEVELS[node['level']]}: ")
    label.font.color.rgb = RGBColor(0x59, 0x63, 0x6E)
    heading.add_run(node["text"])
    details = L.goal_details(node)
    if details:
        document.add_paragraph(details)
    if node.get("note"):
        document.add_paragraph(f"{L.t('means')}: {node['note']}")
    for indicator in indicators.get(node["id"], []):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{L.t('indicator')}: ").bold = True
        paragraph.add_run(L.indicator_line(indicator))
    for child in node["children"]:
        _item(document, child, indicators)


def _table(document, headings, rows):
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Light List Accent 1"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def _appendix(document, report):
    document.add_page_break()
    document.add_heading(L.t("appendix"), 1)
    document.add_heading(L.t("workshops"), 2)
    if not report["workshops"]:
        document.add_paragraph(L.t("no_workshops"))
    for workshop in report["workshops"]:
        title = workshop["title"] + (f" ({L.day(workshop['date'])})" if workshop["date"] else "")
        document.add_heading(title, 3)
        line = f"{L.t('participants')}: {workshop['participants']}"
        if workshop["anonymous"]:
            line += f" · {L.t('anonymous')}"
        document.add_paragraph(line)
        if workshop["groups"]:
            _table(document, [L.t("group"), L.t("participants")],
                   [(L.group_name(g["name"]), g["participants"]) for g in workshop["groups"]])
        for vote in workshop["votes"]:
            document.add_heading(L.t("votes_on", title=vote["title"],
                                     method=L.METHODS[vote["method"]]), 4)
            for domain in vote["domains"]:
                if domain["name"]:
                    voters = L.voters(domain["voters"])
                    document.add_paragraph(f"{domain['name']} · {voters}", style="Heading 5")
                _table(document, [L.t("item"), str(L.VALUE_HEADINGS[vote["method"]]),
                                  L.t("votes"), *domain["groups"]],
                       [(row["text"], L.number(row["value"]), row["count"],
                         *[L.number(v) for v in row["by_group"]]) for row in domain["items"]])
                if len(workshop["groups"]) > 1 and not domain["groups"]:
                    document.add_paragraph(L.t("split_hidden"), style="Caption")
    document.add_heading(L.t("reviews"), 2)
    if not report["reviews"]:
        document.add_paragraph(L.t("no_reviews"))
    for round_ in report["reviews"]:
        document.add_heading(round_["title"], 3)
        document.add_paragraph(L.t("round_of", title=round_["title"], n=round_["version"],
                                   start=L.day(round_["opens_at"]),
                                   end=L.day(round_["closes_at"]))
                               + " · " + L.comments_count(len(round_["comments"])))
        if not round_["comments"]:
            document.add_paragraph(L.t("no_comments"))
            continue
        _table(document, [L.t("goal"), L.t("stakeholder"), L.t("reaction"), L.t("comment"),
                          L.t("disposition"), L.t("reply")],
               [(c["goal"], L.who(c), L.REACTIONS[c["reaction"]],
                 L.comment_text(c), L.DISPOSITIONS[c["disposition"]], c["reply"])
                for c in round_["comments"]])

