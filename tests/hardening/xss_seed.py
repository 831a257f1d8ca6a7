"""Every text field the app stores, filled with script payloads, through the services.

Reuses the narrow-screen sweep's plan (tests/browser/long_words.py builds one of
everything: plan, domains, workshop with steps, proposals, votes, tree, indicators,
measurements, review round, stakeholder comments and replies) with its long words swapped
for payloads. Each payload calls window.__xss(K), K naming the field it was put in.
Run as `python -m tests.hardening.xss_seed` in a server's environment: prints one JSON
line with the ids, the field names per K, and the app's GET rules.
"""

import itertools
import json

from tests.browser import long_words

# Each vector of the sweep in each rotation: tags, attribute breakers, a closing </script>,
# SVG onload, a template literal, a template expression and a javascript: URL.
VARIANTS = (
    '"><img src=x onerror=__xss({k})></script><script>__xss({k})</script>{{{{7*7}}}}',
    "'><svg onload=__xss({k})>${{__xss({k})}}{{{{7*7}}}} javascript:__xss({k})",
    '</textarea></title><img src=x onerror=__xss({k})>" onmouseover="__xss({k})" x="{{{{7*7}}}}',
)
NAME = '"><img src=x onerror=__xss(900)>{{7*7}}'  # fields of at most 60 characters
SHORT = "<svg onload=__xss(901)>{{7*7}}'\""  # fields of at most 40
FIELDS = {900: "names (participant, facilitator, organisation)", 901: "short fields (unit, …)"}
_counter = itertools.count(1)


def payload(text):
    k = next(_counter)
    FIELDS[k] = text
    return VARIANTS[k % len(VARIANTS)].format(k=k)


def _what_the_services_cannot_reach(data):
    """Fields no service fills with free text here, set by SQL: a measurement's and an
    item's earlier values in their histories, and an address that passed older checks."""
    from sqlalchemy import text

    from workshop.extensions import db
    from workshop.monitor import services as monitor

    indicator = monitor.get_indicator(monitor_plan(data), data["indicator"])
    measurement = indicator.measurements[0]
    monitor.edit_measurement(indicator, measurement, {
        "date": measurement.date, "value": measurement.value + 1,
        "note": payload("measurement note, edited")})
    db.session.execute(text("UPDATE item_changes SET old_value = :v WHERE old_value IS NULL "
                            "OR old_value = ''"), {"v": payload("an item's earlier value")})
    db.session.execute(text("UPDATE facilitators SET email = :v WHERE email != :login"),
                       {"v": '"><img src=x onerror=__xss(903)>@example.org',
                        "login": data["email"]})
    FIELDS[903] = "a facilitator's e-mail address"
    # Organisations: a name, a privacy notice, an invitation's address and the audit log's
    # texts (addresses pass the e-mail check only by SQL).
    from workshop.orgs import services as orgs

    organisation = orgs.home_organisation()
    admin = next(m.account for m in orgs.list_members(organisation)
                 if m.role == "administrator")
    invitation, data["invite_token"] = orgs.invite(admin, organisation.id,
                                                   "invitee@example.org", "viewer")
    data["organisation"], data["invitation"] = organisation.id, invitation.id
    db.session.execute(text("UPDATE invitations SET email = :v"),
                       {"v": '"><img src=x onerror=__xss(904)>@example.org'})
    FIELDS[904] = "an invitation's e-mail address"
    db.session.execute(text("UPDATE organisations SET name = :n, privacy_text = :p"),
                       {"n": payload("the organisation's name"),
                        "p": payload("the privacy notice")})
    db.session.execute(text("UPDATE audit_entries SET subject = :s, actor_label = :a, "
                            "detail = :d"),
                       {"s": payload("an audit entry's subject"),
                        "a": payload("an audit entry's actor"),
                        "d": payload("an audit entry's detail")})
    db.session.commit()


def monitor_plan(data):
    from workshop.plans import services as plans

    return plans.get_plan(data["plan"])


def main():
    from workshop import create_app

    long_words.long = payload
    long_words.WORD = NAME
    long_words.SHORT = SHORT
    app = create_app()
    with app.test_request_context():
        data = long_words.build()
        _what_the_services_cannot_reach(data)
    rules = [{"rule": r.rule, "endpoint": r.endpoint, "arguments": sorted(r.arguments)}
             for r in app.url_map.iter_rules() if "GET" in r.methods]
    print(json.dumps({**data, "fields": FIELDS, "rules": rules}))


if __name__ == "__main__":
    main()
