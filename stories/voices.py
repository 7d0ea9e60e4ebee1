"""Voice backends speak a chapter into a WAV file and return its real duration.

``settings.STORY_VOICE_BACKEND`` names the class. The default uses ``espeak-ng`` when it is installed;
without a usable backend stories still complete, with durations estimated from the word count.
"""

import shutil
import subprocess
import wave
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

WORDS_PER_SECOND = 2.5  # about 150 words a minute, a calm narration pace


class VoiceError(Exception):
    pass


class VoiceBackend(Protocol):
    def available(self) -> bool: ...

    def speak(self, text: str, voice_id: str, path: Path) -> float: ...


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def estimated_duration(text: str) -> float:
    return round(len(text.split()) / WORDS_PER_SECOND, 2)


class EspeakVoice:
    def available(self) -> bool:
        return shutil.which("espeak-ng") is not None

    def speak(self, text: str, voice_id: str, path: Path) -> float:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            result = subprocess.run(
                ["espeak-ng", "-v", voice_id, "-w", str(path), "--stdin"],
                input=text,
                text=True,
                capture_output=True,
                timeout=300,
            )
        except subprocess.TimeoutExpired as exc:
            raise VoiceError("Speech synthesis timed out.") from exc
        if result.returncode != 0 or not path.exists():
            raise VoiceError(
                f"espeak-ng could not speak with voice “{voice_id}”: {result.stderr.strip()[:200]}"
            )
        return wav_duration(path)


class NoVoice:
    """No audio: stories complete with estimated durations and no audio URLs."""

    def available(self) -> bool:
        return False

    def speak(self, text: str, voice_id: str, path: Path) -> float:
        raise VoiceError("No voice backend is configured.")


def get_voice_backend() -> VoiceBackend | None:
    backend = import_string(settings.STORY_VOICE_BACKEND)()
    return backend if backend.available() else None


def concatenate_wavs(parts: list[Path], target: Path) -> None:
    """One file for the whole story; every part comes from the same backend, so formats match."""
    with wave.open(str(target), "wb") as out:
        for index, part in enumerate(parts):
            with wave.open(str(part), "rb") as audio:
                if index == 0:
                    out.setparams(audio.getparams())
                out.writeframes(audio.readframes(audio.getnframes()))
