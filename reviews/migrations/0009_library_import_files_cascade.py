from django.db import migrations

from core.db import cascade_on_delete


class Migration(migrations.Migration):
    dependencies = [("reviews", "0008_library_import_files")]

    operations = [cascade_on_delete("library_import_files", "library_import_id", "library_imports")]
