from io import StringIO

from django.core.management import call_command


def run_command(name: str, *args: str, **options) -> tuple[str, str]:
    """Run a management command in this process; return what it wrote to stdout and to stderr."""
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def assert_reported(output: str, *messages: str) -> None:
    """Each of ``messages`` begins a line of a command's ``output`` (its issues, one a line)."""
    lines = output.splitlines()
    missing = [message for message in messages if not any(line.startswith(message) for line in lines)]
    assert not missing, f"not reported: {missing}\n{output}"
