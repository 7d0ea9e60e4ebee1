"""WebVTT for a story: a transcript with one cue per spoken sentence, timed from the audio, and the chapter
markers (a second file, as players read ``kind="chapters"`` tracks)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    identifier: str = ""


def timestamp(seconds: float) -> str:
    milliseconds = max(0, round(seconds * 1000))
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d}.{millis:03d}"


def _cue_text(text: str) -> str:
    # A cue's text cannot hold "-->" or a blank line, and &, < are escaped.
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("--&gt;", "—&gt;")


def vtt(cues: list[Cue], title: str = "") -> str:
    header = "WEBVTT" + (f" - {' '.join(title.split())}" if title else "")
    blocks = [header]
    for cue in cues:
        identifier = f"{cue.identifier}\n" if cue.identifier else ""
        blocks.append(f"{identifier}{timestamp(cue.start)} --> {timestamp(cue.end)}\n{_cue_text(cue.text)}")
    return "\n\n".join(blocks) + "\n"
