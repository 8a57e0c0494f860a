"""`detente serve`: the store in a browser and as a JSON API (FastAPI, server-rendered Jinja2, no asset fetched
from elsewhere).

`app.create_app(Settings)` builds the application; `access` opens the store per request, `cache` keeps built
pair reports, `filters` narrows a report by the pair page's query, `highlight` lays a document's facts over its
text, `safety` holds the guards (body size, same-origin posts, allowed hosts, errors), `pages` and `api` the
routes. Needs the `web` extra: `pip install -e '.[web]'`.
"""
