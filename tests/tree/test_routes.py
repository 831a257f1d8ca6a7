"""Plan tree pages through HTTP."""

import pytest

from workshop.extensions import db
from workshop.tree import services
from workshop.tree.models import PlanItem, PlanVersion
from workshop.voting import promote


def test_build_the_tree_by_hand_and_read_the_document(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"], mission="Wij versterken de regio",
                     tagline="Participeert.")
    domain = plan.domains[0]
    logged_in.post(f"/plans/{plan.id}/items", data={"level": "ambition",
                                                    "domain_id": str(domain.id),
                                                    "text": "Meer ruimte"})
    amb = db.session.scalar(db.select(PlanItem))
    logged_in.post(f"/plans/{plan.id}/items", data={
        "level": "strategic_goal", "domain_id": str(domain.id), "parent_id": str(amb.id),
        "text": "Tien terreinen"})
    page = logged_in.get(f"/plans/{plan.id}/tree").get_data(as_text=True)
    assert "Meer ruimte" in page and "Tien terreinen" in page
    doc = logged_in.get(f"/plans/{plan.id}/document").get_data(as_text=True)
    assert doc.index("Wij versterken") < doc.index("Meer ruimte") < doc.index("Tien terreinen")
    assert "Participeert." in doc
    assert "data-print>Print</button>" in doc and "/print.js" in doc  # no inline onclick


def test_item_page_edits_and_reverts_with_history(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    item = services.add_item(plan, "ambition", plan.domains[0].id, "Meer ruimte")
    logged_in.post(f"/plans/{plan.id}/items/{item.id}", data={"text": "Meer ruimte nu"})
    page = logged_in.get(f"/plans/{plan.id}/items/{item.id}").get_data(as_text=True)
    assert "Meer ruimte nu" in page and "<del>Meer ruimte</del>" in page
    assert "Written directly into the plan." in page
    (edit,) = [c for c in services.history(plan, item) if c.action == "edited"]
    logged_in.post(f"/plans/{plan.id}/changes/{edit.id}/revert")
    db.session.expire_all()
    assert item.text == "Meer ruimte"


def test_status_versions_and_comparison_pages(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    item = services.add_item(plan, "ambition", plan.domains[0].id, "Tien terreinen")
    logged_in.post(f"/plans/{plan.id}/status", data={"status": "review"})
    logged_in.post(f"/plans/{plan.id}/status", data={"status": "draft"})
    services.edit_item(plan, item, {"text": "Twaalf terreinen"})
    logged_in.post(f"/plans/{plan.id}/status", data={"status": "final"})
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanVersion)) == 2
    page = logged_in.get(f"/plans/{plan.id}/versions?a=1&b=2").get_data(as_text=True)
    assert "<del>Tien</del>" in page and "<ins>Twaalf</ins>" in page
    # Final: read-only until reopened.
    response = logged_in.post(f"/plans/{plan.id}/items/{item.id}", data={"text": "Nee"})
    assert "This plan is final" in response.get_data(as_text=True)
    db.session.expire_all()
    assert item.text == "Twaalf terreinen"
    assert logged_in.get(f"/plans/{plan.id}/document?version=1").status_code == 200
    assert logged_in.get(f"/plans/{plan.id}/document?version=9").status_code == 404


def test_promote_page_puts_winners_into_the_plan_once(logged_in, voting_room):
    from tests.tree.test_services import run
    from workshop.voting import ballots

    room = voting_room(people=2)
    a = room["proposals"][0]
    run(lambda: ballots.add_dots(room["people"][0], room["vote"].id, a.id, 1))
    url = f"/workshops/{room['workshop'].id}/steps/{room['vote'].id}/promote"
    page = logged_in.get(url).get_data(as_text=True)
    assert "A" in page and "already in the plan" not in page
    form = {"mode": "top", "top": "1", "level": "ambition", "parent_id": ""}
    assert logged_in.post(url, data=form).status_code == 302
    again = logged_in.post(url, data=form)
    assert again.status_code == 302
    items = db.session.scalars(db.select(PlanItem)).all()
    assert [i.text for i in items] == ["A", "D"]
    assert promote.provenance(items[0])[0]["result"] == 1
    page = logged_in.get(f"/plans/{room['workshop'].plan_id}/items/{items[0].id}").get_data(
        as_text=True)
    assert "Where it came from" in page and "Workshop" in page
    assert "already in the plan" in logged_in.get(url).get_data(as_text=True)


def test_promote_page_of_another_kind_of_step_is_not_found(logged_in, make_workshop):
    from workshop.live import agenda

    workshop = make_workshop()
    step = agenda.add_step(workshop, {"kind": "info", "title": "Welkom"})
    assert logged_in.get(f"/workshops/{workshop.id}/steps/{step.id}/promote").status_code == 404


def test_a_domain_with_plan_items_cannot_be_removed(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    services.add_item(plan, "ambition", plan.domains[0].id, "Meer ruimte")
    page = logged_in.get(f"/plans/{plan.id}/domains/{plan.domains[0].id}/remove").get_data(
        as_text=True)
    assert "still holds" in page and "plan items" in page
    logged_in.post(f"/plans/{plan.id}/domains/{plan.domains[0].id}/remove")
    assert len(plan.domains) == 1


def test_the_tree_page_shows_the_tagline_with_its_origin_and_history(logged_in, voting_room):
    from tests.tree.test_services import run
    from workshop.voting import ballots

    room = voting_room(people=1)
    run(lambda: ballots.add_dots(room["people"][0], room["vote"].id,
                                 room["proposals"][1].id, 1))
    plan = room["workshop"].plan
    promote.promote(plan, room["vote"], "top", "tagline", top=1)
    page = logged_in.get(f"/plans/{plan.id}/tree").get_data(as_text=True)
    assert "From workshop “Workshop”, vote “Stem”: 1" in page
    assert "<ins>B</ins>" in page
    (change,) = [c for c in services.history(plan) if c.field == "tagline"]
    logged_in.post(f"/plans/{plan.id}/changes/{change.id}/revert")
    db.session.expire_all()
    assert plan.tagline == ""


def test_move_merge_split_and_delete_through_the_pages(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte", "Logistiek"])
    ruimte, logistiek = plan.domains
    a = services.add_item(plan, "ambition", ruimte.id, "A")
    b = services.add_item(plan, "ambition", ruimte.id, "B")
    goal = services.add_item(plan, "strategic_goal", ruimte.id, "Doel", a.id)
    base = f"/plans/{plan.id}/items"
    logged_in.post(f"{base}/{b.id}/move", data={"target": f"d{logistiek.id}"})
    logged_in.post(f"{base}/{goal.id}/move", data={"target": f"i{b.id}"})
    db.session.expire_all()
    assert (b.domain_id, goal.parent_id, goal.domain_id) == (logistiek.id, b.id, logistiek.id)
    logged_in.post(f"{base}/{goal.id}/split", data={"parts": "Doel een\nDoel twee"})
    assert sorted(i.text for i in db.session.scalars(db.select(PlanItem).where(
        PlanItem.level == "strategic_goal"))) == ["Doel een", "Doel twee"]
    a_id, b_id = a.id, b.id
    # A merge asks once: the first post only shows what will happen.
    page = logged_in.post(f"{base}/{a_id}/merge", data={"target_id": str(b_id)})
    assert "Merge “A” into “B”?" in page.get_data(as_text=True)
    assert db.session.get(PlanItem, a_id) is not None
    logged_in.post(f"{base}/{a_id}/merge", data={"target_id": str(b_id), "confirm": "yes"})
    assert db.session.get(PlanItem, a_id) is None
    assert "Remove “B”?" in logged_in.get(f"{base}/{b_id}/delete").get_data(as_text=True)
    logged_in.post(f"{base}/{b_id}/delete")
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanItem)) == 0


def test_drag_and_drop_saves_the_new_place(app, make_plan, facilitator):
    plan = make_plan(domains=["Ruimte"])
    d = plan.domains[0]
    items = [services.add_item(plan, "ambition", d.id, t) for t in "ABC"]
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = facilitator.get_id()
    response = client.post(f"/plans/{plan.id}/items/{items[2].id}/place", json={"index": 0})
    assert response.json == {"ok": True}
    assert client.post(f"/plans/{plan.id}/items/{items[2].id}/place",
                       json={"index": 9}).status_code == 409
    assert [i.text for _, roots in services.tree(plan) for i in roots] == ["C", "A", "B"]


def _promote_url(room):
    return f"/workshops/{room['workshop'].id}/steps/{room['vote'].id}/promote"


def _boxes(page):
    """{proposal id: (disabled, checked)} for the promote page's item boxes."""
    import re

    return {int(m.group(1)): ("disabled" in m.group(0), "checked" in m.group(0))
            for m in re.finditer(r'<input type="checkbox" name="picked" value="(\d+)"[^>]*>', page)}


def test_promote_boxes_can_be_ticked_only_in_ticked_mode(logged_in, voting_room):
    from tests.tree.test_services import run
    from workshop.voting import ballots

    room = voting_room(people=1)
    a, b, *_ = room["proposals"]
    run(lambda: ballots.add_dots(room["people"][0], room["vote"].id, a.id, 1))
    url = _promote_url(room)
    boxes = _boxes(logged_in.get(url).get_data(as_text=True))
    assert boxes and all(disabled for disabled, _ in boxes.values())  # "top" is the default
    # Back with an error in "the ones I tick": the boxes work and keep what was ticked.
    page = logged_in.post(url, data={"mode": "pick", "picked": [str(b.id)], "level": "nonsense",
                                     "threshold": "1"}).get_data(as_text=True)
    boxes = _boxes(page)
    assert boxes[b.id] == (False, True) and boxes[a.id] == (False, False)
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanItem)) == 0


def test_promote_page_writes_numbers_as_the_reader_does(logged_in, voting_room):
    from tests.tree.test_services import run
    from workshop.voting import ballots

    room = voting_room(method="score", people=2, score_max=5)
    a = room["proposals"][0]
    for person, score in zip(room["people"], (3, 4), strict=True):
        run(lambda p=person, s=score: ballots.set_score(p, room["vote"].id, a.id, s))
    url = _promote_url(room)
    dutch = {"Accept-Language": "nl"}
    page = logged_in.get(url, headers=dutch).get_data(as_text=True)
    assert "3,5</span>" in page and "3.5" not in page
    assert 'name="threshold" type="text" value="1"' in page  # not "1.00", not "1,00"
    english = logged_in.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "3.5</span>" in english
    # A Dutch threshold as typed: 3,5 lets A through, 3,6 would not.
    assert logged_in.post(url, headers=dutch, data={
        "mode": "threshold", "threshold": "3,6", "level": "ambition"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanItem)) == 0
    logged_in.post(url, headers=dutch, data={"mode": "threshold", "threshold": "3,5",
                                             "level": "ambition"})
    assert [i.text for i in db.session.scalars(db.select(PlanItem))] == ["A"]


@pytest.mark.parametrize("typed", ["abc", "-1", "1e999", "NaN", "1.234.5", "x" * 41])
def test_a_hostile_threshold_is_refused_in_place(logged_in, voting_room, typed):
    from tests.tree.test_services import run
    from workshop.voting import ballots

    room = voting_room(people=1)
    run(lambda: ballots.add_dots(room["people"][0], room["vote"].id,
                                 room["proposals"][0].id, 1))
    response = logged_in.post(_promote_url(room), data={
        "mode": "threshold", "threshold": typed, "level": "ambition"})
    assert response.status_code == 200
    assert "aria-invalid" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanItem)) == 0


def test_a_vote_without_votes_has_no_winners_to_promote(logged_in, voting_room):
    room = voting_room(people=1)
    url = _promote_url(room)
    page = logged_in.get(url).get_data(as_text=True)
    assert "Nobody has voted in this step yet" in page and 'name="picked"' not in page
    response = logged_in.post(url, data={"mode": "top", "top": "3", "level": "ambition"})
    assert response.status_code == 200
    assert "there are no winners" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(PlanItem)) == 0


def test_the_tree_offers_one_small_add_per_parent_not_an_empty_box(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    d = plan.domains[0]
    amb = services.add_item(plan, "ambition", d.id, "Meer ruimte")
    goal = services.add_item(plan, "strategic_goal", d.id, "Tien terreinen", amb.id)
    page = logged_in.get(f"/plans/{plan.id}/tree").get_data(as_text=True)
    import re

    # Every add form sits inside a closed disclosure: no open text box under each item.
    boxes = re.findall(r'<details class="add-child[^"]*"( open)?>', page)
    assert len(boxes) == 3 and not any(boxes)  # + ambition, + strategic goal, + operational
    assert page.count('name="text"') == 3
    assert re.search(r"<summary>\+ strategic goal<span class=\"visually-hidden\"> under "
                     r"“Meer ruimte”</span></summary>", page)
    assert f'value="{goal.id}"' in page


def test_an_empty_domain_shows_its_add_form_open(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    page = logged_in.get(f"/plans/{plan.id}/tree").get_data(as_text=True)
    assert '<details class="add-child add-ambition" open>' in page


def test_the_item_page_actions_are_a_disclosure_with_a_chevron(logged_in, make_plan):
    plan = make_plan(domains=["Ruimte"])
    item = services.add_item(plan, "ambition", plan.domains[0].id, "Meer ruimte")
    page = logged_in.get(f"/plans/{plan.id}/items/{item.id}").get_data(as_text=True)
    assert ('<details class="more-actions disclosure">\n      <summary><span class="chevron" '
            'aria-hidden="true"></span>Move, merge, split or remove</summary>') in page


@pytest.mark.parametrize("target", ["", "abc", "999", "-1"])
def test_a_merge_into_nothing_explains_and_changes_nothing(logged_in, make_plan, target):
    plan = make_plan(domains=["Ruimte"])
    a = services.add_item(plan, "ambition", plan.domains[0].id, "A")
    response = logged_in.post(f"/plans/{plan.id}/items/{a.id}/merge",
                              data={"target_id": target, "confirm": "yes"},
                              follow_redirects=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "Choose the item to merge this one into." in response.get_data(as_text=True)
    assert db.session.get(PlanItem, a.id) is not None
