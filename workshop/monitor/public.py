"""The public, read-only progress page of a plan, behind a revocable link (/p/<token>)."""

import datetime as dt

from flask import Blueprint, render_template

from workshop.core.errors import NotFound
from workshop.extensions import limiter
from workshop.monitor import progress, services
from workshop.monitor.routes import labels

bp = Blueprint("progress_page", __name__)

# Unknown links count per address: guessing is slow.
wrong_links = limiter.shared_limit("10 per minute", scope="progress-link",
                                   deduct_when=lambda response: response.status_code == 404)


@bp.get("/p/<token>")
@wrong_links
def page(token):
    try:
        plan = services.plan_for_token(token)
    except NotFound:
        return render_template("errors/link_gone.html"), 404
    today = dt.date.today()
    view = progress.overview(plan, today)
    charts = progress.charts(view, today)
    response = render_template("monitor/public.html", plan=plan, view=view, charts=charts,
                               labels=labels(), settings=services.settings(plan), today=today)
    return response, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex",
                           "Referrer-Policy": "no-referrer"}
