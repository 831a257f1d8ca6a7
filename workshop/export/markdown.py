"""The draft plan as Markdown, with the same structure as the Word document."""

import re

from workshop.export import labels as L

_SPACE = re.compile(r"[ \t\n\r\f\v\u2028\u2029\x1c-\x1f\x85]+")
HEADING_FOR_LEVEL = {"ambition": "###", "strategic_goal": "####", "operational_goal": "#####"}


def _cell(value):
    text = "" if value is None else str(value).replace("<", "\\<")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _line(text):
    """One paragraph of user text: no line breaks, nothing read as a heading or list."""
    # ASCII white space only: a no-break space keeps "12,5 %" together.
    text = _SPACE.sub(" ", str(text)).strip().replace("<", "\\<")
    text = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)  # "2030. …" is no list
    return "\\" + text if text[:1] in "#>-+*=|`" else text


def _table(headings, rows):
    lines = ["| " + " | ".join(_cell(h) for h in headings) + " |",
             "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render(report):
    doc, meta = report["doc"], report["meta"]
    out = []
    add = out.append
    add(f"# {_line(doc['title'])}\n")
    if doc["organisation"]:
        add(f"{_line(doc['organisation'])}  ")
    horizon = doc.get("horizon") or [None, None]
    if horizon[0]:
        add(f"{horizon[0]}–{horizon[1]}  ")
    add(L.status_line(meta) + "\n")
    if doc["mission"]:
        add(f"## {L.t('mission')}\n\n> {_line(doc['mission'])}\n")
    if doc["tagline"]:
        add(f"## {L.t('tagline')}\n\n> {_line(doc['tagline'])}\n")
    for domain in doc["domains"]:
        add(f"## {_line(domain['name'])}\n")
        if not domain["items"]:
            add(L.t("no_items") + "\n")
        for node in domain["items"]:
            _item(add, node, report["indicators"])
    _appendix(add, report)
    return "\n".join(out).rstrip() + "\n"


def _item(add, node, indicators):
    add(f"{HEADING_FOR_LEVEL[node['level']]} {L.LEVELS[node['level']]}: {_line(node['text'])}\n")
    details = L.goal_details(node)
    if details:
        add(_line(details) + "\n")
    if node.get("note"):
        add(f"{L.t('means')}: {_line(node['note'])}\n")
    lines = [f"- **{L.t('indicator')}:** {_line(L.indicator_line(i))}"
             for i in indicators.get(node["id"], [])]
    if lines:
        add("\n".join(lines) + "\n")
    for child in node["children"]:
        _item(add, child, indicators)


def _appendix(add, report):
    add(f"## {L.t('appendix')}\n")
    add(f"### {L.t('workshops')}\n")
    if not report["workshops"]:
        add(L.t("no_workshops") + "\n")
    for workshop in report["workshops"]:
        date = f" ({L.day(workshop['date'])})" if workshop["date"] else ""
        add(f"#### {_line(workshop['title'])}{date}\n")
        line = f"{L.t('participants')}: {workshop['participants']}"
        if workshop["anonymous"]:
            line += f" · {L.t('anonymous')}"
        add(line + "\n")
        if workshop["groups"]:
            add(_table([L.t("group"), L.t("participants")],
                       [(L.group_name(g["name"]), g["participants"])
                        for g in workshop["groups"]]))
        for vote in workshop["votes"]:
            add("##### " + _line(L.t("votes_on", title=vote["title"],
                                       method=L.METHODS[vote["method"]])) + "\n")
            for domain in vote["domains"]:
                if domain["name"]:
                    add(f"**{_cell(domain['name'])}** · {L.voters(domain['voters'])}\n")
                add(_table([L.t("item"), L.VALUE_HEADINGS[vote["method"]], L.t("votes"),
                            *domain["groups"]],
                           [(r["text"], L.number(r["value"]), r["count"],
                             *[L.number(v) for v in r["by_group"]]) for r in domain["items"]]))
                if len(workshop["groups"]) > 1 and not domain["groups"]:
                    add(f"*{L.t('split_hidden')}*\n")
    add(f"### {L.t('reviews')}\n")
    if not report["reviews"]:
        add(L.t("no_reviews") + "\n")
    for round_ in report["reviews"]:
        add(f"#### {_line(round_['title'])}\n")
        add(_line(L.t("round_of", title=round_["title"], n=round_["version"],
                      start=L.day(round_["opens_at"]), end=L.day(round_["closes_at"]))
                  + " · " + L.comments_count(len(round_["comments"]))) + "\n")
        if not round_["comments"]:
            add(L.t("no_comments") + "\n")
            continue
        add(_table([L.t("goal"), L.t("stakeholder"), L.t("reaction"), L.t("comment"),
                    L.t("disposition"), L.t("reply")],
                   [(c["goal"], L.who(c), L.REACTIONS[c["reaction"]], L.comment_text(c),
                     L.DISPOSITIONS[c["disposition"]], c["reply"])
                    for c in round_["comments"]]))
