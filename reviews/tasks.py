from django_tasks import task

from reviews import library_services


@task()
def run_library_import(import_id: str) -> str:
    # Every worker first puts back in the queue the imports a stopped worker left behind.
    library_services.library_imports_recover()
    return library_services.library_import_run(import_id=import_id)
