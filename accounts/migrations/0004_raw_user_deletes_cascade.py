"""A user deleted by raw SQL (``DELETE FROM users``) takes their admin log entries and their group and
permission memberships along, as a delete through Django does: these foreign keys cascade in the
database too. (Django's own tables; their other keys are left as Django made them.)"""

from django.db import migrations

from core.db import cascade_on_delete


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_delete_ratelimitcounter"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        cascade_on_delete("django_admin_log", "user_id", "users"),
        cascade_on_delete("users_groups", "user_id", "users"),
        cascade_on_delete("users_user_permissions", "user_id", "users"),
    ]
