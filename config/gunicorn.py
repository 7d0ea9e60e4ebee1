"""gunicorn settings: ``gunicorn -c config/gunicorn.py config.wsgi``.

The request line may be long enough that Django, not gunicorn, refuses an over-long API URL (with a JSON
414 from ``api.middleware``); gunicorn's own HTML error is left for lines past its hard maximum.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
limit_request_line = 8190  # gunicorn's maximum; the API's own limit is 4,096 characters
timeout = 60
graceful_timeout = 30


def post_worker_init(worker):
    # Django, its apps and models live as long as the worker: frozen out of the garbage collector's
    # generations, a full collection no longer walks them. Requests that allocate a lot (an admin page of
    # 50 rows) otherwise pay for walking the whole framework every few requests.
    gc.freeze()
