import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Create a local superuser once. Email from FOLIO_ADMIN_EMAIL (default admin@folio.local), password "
        "from FOLIO_ADMIN_PASSWORD or generated and written to var/admin-credentials.txt."
    )

    def handle(self, *args, **options):
        import os

        email = os.environ.get("FOLIO_ADMIN_EMAIL", "admin@folio.local")
        credentials_file = settings.VAR_DIR / "admin-credentials.txt"
        if User.objects.filter(email__lower=email.lower()).exists():
            where = credentials_file if credentials_file.exists() else "FOLIO_ADMIN_PASSWORD"
            self.stdout.write(f"Admin account {email} exists; its password is in {where}.")
            return
        password = os.environ.get("FOLIO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(email, password)
        if os.environ.get("FOLIO_ADMIN_PASSWORD"):
            self.stdout.write(f"Created admin {email} with the password from FOLIO_ADMIN_PASSWORD.")
            return
        credentials_file.parent.mkdir(parents=True, exist_ok=True)
        credentials_file.write_text(f"email: {email}\npassword: {password}\n")
        credentials_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(f"Created admin {email}; credentials written to {credentials_file}.")
        )
