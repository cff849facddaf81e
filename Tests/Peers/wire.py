"""Helpers for the scenario tests' Python peers (pyzmq), which stand in for
the guide's C or Python partner of a Swift example and report exactly what
crossed the wire."""
import json
import sys


def frame_text(frame):
    """A frame as text when it is printable ASCII, else as 0x-prefixed hex."""
    if all(32 <= b <= 126 for b in frame):
        return frame.decode("ascii")
    return "0x" + frame.hex().upper()


def show(label, frames):
    """Prints one line: LABEL then the frames as a JSON list."""
    print(label, json.dumps([frame_text(f) for f in frames]), flush=True)
    sys.stdout.flush()
