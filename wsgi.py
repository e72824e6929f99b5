"""Entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""
from smartcity_survey import create_app

app = create_app()
