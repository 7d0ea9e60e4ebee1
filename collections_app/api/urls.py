from django.urls import path

from collections_app.api import views

collection_list = views.CollectionViewSet.as_view({"get": "list", "post": "create"})
collection_detail = views.CollectionViewSet.as_view(
    {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
)
group_list = views.GroupViewSet.as_view({"get": "list", "post": "create"})
group_detail = views.GroupViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("collections/", collection_list, name="collection-list"),
    path("collections/<uuid:pk>/", collection_detail, name="collection-detail"),
    path(
        "collections/<uuid:collection_id>/books/",
        views.CollectionBookListView.as_view(),
        name="collection-books",
    ),
    path(
        "collections/<uuid:collection_id>/books/<uuid:book_id>/",
        views.CollectionBookView.as_view(),
        name="collection-book",
    ),
    path("collections/<uuid:collection_id>/groups/", group_list, name="collection-group-list"),
    path("collections/<uuid:collection_id>/groups/<uuid:pk>/", group_detail, name="collection-group-detail"),
    path(
        "collections/<uuid:collection_id>/groups/<uuid:group_id>/books/",
        views.GroupBookListView.as_view(),
        name="collection-group-books",
    ),
    path(
        "collections/<uuid:collection_id>/groups/<uuid:group_id>/books/<uuid:book_id>/",
        views.GroupBookView.as_view(),
        name="collection-group-book",
    ),
]
