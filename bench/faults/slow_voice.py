"""A voice that takes its time, so the fault script can kill the worker in the middle of synthesis."""

import time
from pathlib import Path


class SlowVoice:
    def available(self) -> bool:
        return True

    def speak(self, text: str, voice_id: str, path: Path) -> float:
        time.sleep(120)
        raise RuntimeError("the fault script should have killed this worker by now")
