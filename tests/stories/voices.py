"""A voice for tests that must catch a worker in the middle of synthesis."""

import time
from pathlib import Path


class SlowVoice:
    """Takes a minute per chapter: long enough for a test to kill the worker during ``synthesizing``."""

    def available(self) -> bool:
        return True

    def speak(self, text: str, voice_id: str, path: Path) -> float:
        time.sleep(60)
        raise RuntimeError("a test should have stopped this worker by now")
