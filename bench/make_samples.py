"""Make the video and time-series sample media shipped in static/samples/ (run once, commit the files).

    python bench/make_samples.py

- ``sample.mp4``: 4 s, 25 frames/s, 320x180, H.264 (yuv420p, faststart), a white square moving left
  to right 60 px a second (its position tells the frame). Encoded with the
  ffmpeg that the ``imageio-ffmpeg`` wheel ships (requirements-dev.txt), or ``ffmpeg`` on PATH.
- ``sample-timeseries.csv``: 600 rows, ``time`` (ISO timestamps 100 ms apart) and three channels
  (``velocity``, ``acceleration``, ``signal``), deterministic.
"""

from __future__ import annotations

import csv
import math
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "static" / "samples"


def ffmpeg() -> str:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except ImportError:
        found = shutil.which("ffmpeg")
        if not found:
            raise SystemExit("ffmpeg not found: pip install imageio-ffmpeg (requirements-dev.txt)") from None
        return found


def make_video(path: Path) -> None:
    moving = "[0][1]overlay=x='20+t*60':y=70:shortest=1"  # the square moves 60 px a second
    args = [
        ffmpeg(), "-y", "-loglevel", "error",
        "-f", "lavfi", "-i", "color=c=0x1e3a5f:s=320x180:r=25:d=4",
        "-f", "lavfi", "-i", "color=c=white:s=40x40:r=25:d=4",
        "-filter_complex", moving, "-c:v", "libx264", "-preset", "veryslow", "-crf", "32", "-g", "25",
        "-pix_fmt", "yuv420p", "-movflags", "+faststart", "-an", str(path),
    ]  # fmt: skip
    subprocess.run(args, check=True)  # noqa: S603 - fixed arguments


def make_csv(path: Path) -> None:
    start = datetime(2024, 1, 1, 12, 0, 0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["time", "velocity", "acceleration", "signal"])
        for i in range(600):
            t = i / 10
            stamp = (start + timedelta(milliseconds=100 * i)).strftime("%Y-%m-%d %H:%M:%S.%f")
            velocity = 10 + 5 * math.sin(t / 6) + (3 if 200 <= i < 260 else 0)
            acceleration = 5 / 6 * math.cos(t / 6)
            signal = math.sin(t * 2) * (1 + 0.5 * math.sin(t / 9))
            out.writerow([stamp, f"{velocity:.3f}", f"{acceleration:.4f}", f"{signal:.4f}"])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_video(OUT / "sample.mp4")
    make_csv(OUT / "sample-timeseries.csv")
    for name in ("sample.mp4", "sample-timeseries.csv"):
        print(OUT / name, (OUT / name).stat().st_size, "bytes")
