import time

HOUR = 3600


def clear_of_window_boundary(*, window: int = HOUR, margin: float = 20.0) -> None:
    """Wait, if need be, until the current fixed rate-limit window has more than ``margin`` seconds left,
    so a test counting hits against an hourly limit never sees its counts reset half-way."""
    left = window - time.time() % window
    if left <= margin:
        time.sleep(left + 0.5)
