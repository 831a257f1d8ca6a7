"""Tallies against hand-computed examples; group splits and their privacy threshold."""

from workshop.extensions import db
from workshop.realtime.executor import run_once
from workshop.voting import ballots, tally


def run(change):
    return run_once("t", None, change)[0]


def _items(result, domain=0):
    return [(row["text"], row["value"]) for row in result["domains"][domain]["items"]]


def test_borda_count_of_top_two_rankings(voting_room):
    room = voting_room(method="rank", rank_top=2, people=3,
                       proposals=[(0, "A"), (0, "B"), (0, "C")])
    a, b, c = room["proposals"]
    scope = a.domain_id
    orders = [[a.id, b.id], [b.id, c.id], [b.id, a.id]]
    for person, order in zip(room["people"], orders, strict=True):
        run(lambda p=person, o=order: ballots.set_ranking(p, room["vote"].id, scope, o))
    # first place 2 points, second 1: A = 2+0+1 = 3, B = 1+2+2 = 5, C = 0+1+0 = 1
    result = tally.compute(room["vote"])
    assert _items(result) == [("B", 5), ("A", 3), ("C", 1)]
    assert result["domains"][0]["voters"]["total"] == 3
    assert result["seq"] == room["vote"].vote_seq


def test_score_is_the_mean_of_given_scores(voting_room):
    room = voting_room(method="score", people=3, proposals=[(0, "A"), (0, "B")])
    a, b = room["proposals"]
    for person, (sa, sb) in zip(room["people"], [(5, 1), (4, None), (2, 3)], strict=True):
        run(lambda p=person, s=sa: ballots.set_score(p, room["vote"].id, a.id, s))
        if sb is not None:
            run(lambda p=person, s=sb: ballots.set_score(p, room["vote"].id, b.id, s))
    result = tally.compute(room["vote"])
    assert _items(result) == [("A", 3.67), ("B", 2.0)]
    assert [row["count"] for row in result["domains"][0]["items"]] == [3, 2]


def test_dots_sum_and_unvoted_items_show_zero(voting_room):
    room = voting_room(people=2)
    a, b, c, d = room["proposals"]
    for person, item in [(0, a), (0, a), (1, a), (1, c)]:
        run(lambda p=room["people"][person], i=item: ballots.add_dots(
            p, room["vote"].id, i.id, 1))
    result = tally.compute(room["vote"])
    assert _items(result) == [("A", 3), ("C", 1), ("B", 0)]
    assert _items(result, 1) == [("D", 0)]


def test_group_split_only_from_the_threshold_on(voting_room):
    room = voting_room(people=10, proposals=[(0, "A"), (0, "B"), (0, "C")])
    workshop = room["workshop"]
    employees = [p for p in room["people"] if p.group_id == workshop.groups[0].id]
    externals = [p for p in room["people"] if p.group_id == workshop.groups[1].id]
    a, b, c = room["proposals"]
    for person in employees:
        run(lambda p=person: ballots.add_dots(p, room["vote"].id, a.id, 1))
    run(lambda: ballots.add_dots(externals[0], room["vote"].id, c.id, 1))
    domain = tally.compute(room["vote"])["domains"][0]
    # 5 employees reach the threshold, but showing them would reveal the one external's
    # dot (total minus employees): no split at all.
    assert domain["shown_groups"] == []
    assert all(row["by_group"] == {} for row in domain["items"])
    for person in externals[1:]:
        run(lambda p=person: ballots.add_dots(p, room["vote"].id, c.id, 1))
    domain = tally.compute(room["vote"])["domains"][0]
    assert len(domain["shown_groups"]) == 2  # 5 and 5
    by_text = {row["text"]: row["by_group"] for row in domain["items"]}
    assert by_text["C"] == {str(workshop.groups[0].id): 0, str(workshop.groups[1].id): 5}
    workshop.min_group_size = 6
    db.session.commit()
    assert tally.compute(room["vote"])["domains"][0]["shown_groups"] == []


def test_items_the_groups_rank_far_apart_are_marked(voting_room):
    room = voting_room(people=10, proposals=[(0, t) for t in "ABCDEF"])
    workshop = room["workshop"]
    items = room["proposals"]
    for person in room["people"]:
        employee = person.group_id == workshop.groups[0].id
        # employees love A, externals put A last and love F
        favourite = items[0] if employee else items[5]
        run(lambda p=person, i=favourite: ballots.add_dots(p, room["vote"].id, i.id, 1))
        run(lambda p=person: ballots.add_dots(p, room["vote"].id, items[2].id, 1))
    rows = {r["text"]: r for r in tally.compute(room["vote"])["domains"][0]["items"]}
    assert rows["A"]["diverges"] and rows["F"]["diverges"]
    assert not rows["C"]["diverges"]  # both groups agree on C
