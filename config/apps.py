from django.contrib.admin.apps import AdminConfig


class FolioAdminConfig(AdminConfig):
    default_site = "config.admin.FolioAdminSite"
