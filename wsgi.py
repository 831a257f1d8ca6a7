"""WSGI entry point: `gunicorn -c python:workshop.serve wsgi:app`."""

from workshop import create_app

app = create_app()
