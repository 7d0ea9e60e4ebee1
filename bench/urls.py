from django.urls import path

from bench.bare import bare
from config.urls import urlpatterns as folio_urlpatterns

urlpatterns = [path("bench/bare/<slug:name>/", bare), *folio_urlpatterns]
