"""Peak extra memory and CPU time of validating the worst uploads the site accepts.

Each file is the largest of its kind under the limits of `submissions.images` (10 MB,
40 megapixels, the decoding budget): baseline and progressive JPEG (RGB and CMYK), PNG and
WebP with alpha, 16-bit grey PNG, palette PNG with transparency, grey with alpha. Each is
validated in a fresh process, which reports its peak resident memory above what it held
before (Linux: /proc/self/status, VmHWM reset through clear_refs) and its CPU seconds.

Run from the repository root: ``.venv/bin/python bench/images.py``. The site promises at
most 150 MB and one second for every accepted file; the script exits 1 past either.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_EXTRA_MB = 150
MAX_CPU_SECONDS = 1.0

_CHILD = r"""
import io, json, os, resource, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from submissions.images import InvalidImageError, validate_image

content = sys.stdin.buffer.read()
upload = SimpleUploadedFile("upload", content)

def rss(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024

with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # resets VmHWM to the current resident size
before = rss("VmRSS")
start = resource.getrusage(resource.RUSAGE_SELF)
try:
    clean = validate_image(upload)
    outcome = "accepted %sx%s" % (clean.width, clean.height)
except InvalidImageError as exc:
    outcome = "refused: %s" % exc.message
end = resource.getrusage(resource.RUSAGE_SELF)
cpu = (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)
print(json.dumps({"extra_mb": (rss("VmHWM") - before) / 1e6, "cpu": cpu, "outcome": outcome}))
"""


def measure(content: bytes) -> dict:
    """Validates `content` in a fresh process: {"extra_mb", "cpu", "outcome"}."""
    result = subprocess.run(  # noqa: S603 — our own interpreter and script
        [sys.executable, "-c", _CHILD],
        input=content,
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(result.stdout.decode().strip().splitlines()[-1])


def _gradient(mode, size):
    """A smooth picture (it compresses under 10 MB at 40 MP) with some texture."""
    from PIL import Image

    width, height = size
    horizontal = Image.linear_gradient("L").resize((width, height))
    vertical = Image.linear_gradient("L").rotate(90).resize((width, height))
    noise = Image.effect_noise((width // 8, height // 8), 8).resize((width, height))
    bands = {"R": horizontal, "G": vertical, "B": noise, "A": vertical, "L": horizontal}
    bands.update({"C": horizontal, "M": vertical, "Y": noise, "K": vertical})
    if mode in {"L", "I;16"}:
        if mode == "L":
            return horizontal
        return horizontal.convert("I").point(lambda v: v * 257).convert("I;16")
    if mode == "LA":
        return Image.merge("LA", (horizontal, vertical))
    return Image.merge(mode, [bands[band] for band in mode])


def _encode(image, fmt, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def worst_files() -> dict[str, bytes]:
    """The largest accepted file of each kind (sizes from submissions.images' limits)."""
    forty_mp = (7300, 5479)
    files = {
        "JPEG RGB baseline, 40 MP": _encode(_gradient("RGB", forty_mp), "JPEG", quality=85),
        "JPEG CMYK baseline, 40 MP": _encode(_gradient("CMYK", forty_mp), "JPEG", quality=85),
        "JPEG RGB progressive, 21 MP": _encode(
            _gradient("RGB", (5300, 4000)), "JPEG", quality=85, progressive=True
        ),
        "JPEG CMYK progressive, 8 MP": _encode(
            _gradient("CMYK", (3400, 2400)), "JPEG", quality=85, progressive=True
        ),
        "PNG RGBA, 9 MP": _encode(_gradient("RGBA", (3600, 2500)), "PNG"),
        "PNG RGB, 9 MP": _encode(_gradient("RGB", (3600, 2500)), "PNG"),
        "PNG 16-bit grey, 8.6 MP": _encode(_gradient("I;16", (3600, 2400)), "PNG"),
        "PNG palette with transparency, 30 MP": _encode(
            _gradient("RGB", (6000, 5000)).quantize(64), "PNG", transparency=0
        ),
        "PNG grey with alpha, 7.4 MP": _encode(_gradient("LA", (3400, 2200)), "PNG"),
        "WebP RGBA, 5 MP": _encode(_gradient("RGBA", (2700, 1850)), "WEBP", quality=80),
        "WebP RGB, 5 MP": _encode(_gradient("RGB", (2700, 1850)), "WEBP", quality=80),
    }
    return files


def main() -> int:
    failed = False
    print(f"{'file':40} {'size':>8} {'peak extra':>11} {'CPU':>7}  outcome")
    for name, content in worst_files().items():
        result = measure(content)
        over = result["extra_mb"] > MAX_EXTRA_MB or result["cpu"] > MAX_CPU_SECONDS
        failed = failed or (over and result["outcome"].startswith("accepted"))
        print(
            f"{name:40} {len(content) / 1e6:6.1f}MB {result['extra_mb']:8.0f} MB"
            f" {result['cpu']:6.2f}s  {result['outcome']}{'  OVER' if over else ''}"
        )
    return 1 if failed else 0


README_SECTION = "image-bombs"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        status = main()
    sys.exit(status)
