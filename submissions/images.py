"""Uploaded images: checked by opening them, never trusted by their name, and re-encoded.

Re-encoding drops every metadata block (EXIF with GPS positions, XMP, text chunks) because
only the pixels are copied to the new file.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from hackqc.exceptions import HackQCError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow's memory for one decode: width * height * bytes per pixel, plus a progressive JPEG's
# coefficient buffers. Past it the file is refused; under it the worst file stays within
# 150 MB and one second (bench/images.py prints both).
DECODE_BUDGET = 96 * 1024 * 1024
# A truecolour PNG (RGB, RGBA) peaks at this per pixel while decoding (measured).
PNG_TRUECOLOUR_BYTES = 9
# libwebp decodes into buffers of its own besides Pillow's image (measured by the bench).
WEBP_OVERHEAD = 5
# Decoding a PNG costs CPU for every pixel: past this, more than one second.
MAX_LOSSLESS_PIXELS = 30_000_000
# Stored copies are downscaled to this on their long side: more than any screen shows.
MAX_SIDE = 2560
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
THUMBNAIL_SIZE = (480, 320)
# Peak bytes a decoded pixel costs, measured by bench/images.py: Pillow stores most modes in
# 4 bytes; a PNG of 16-bit grey (widened to 32 bits before it can be reduced) or of grey
# with alpha goes through full-size intermediate copies.
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 11, "I;16B": 11, "I;16L": 11, "LA": 13}


class InvalidImageError(HackQCError):
    """The upload is not an image this site accepts."""


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    format: str
    width: int
    height: int


def validate_image(upload) -> CleanImage:
    """Opens `upload` with Pillow and returns a metadata-free re-encoded copy, at most
    `MAX_SIDE` pixels on its long side, in RGB or RGBA whatever the file's mode (CMYK,
    16-bit, palette with transparency, grey with alpha…).

    Raises InvalidImageError for a file over 10 MB, a format other than PNG, JPEG or WebP
    (whatever its name says), a truncated or corrupt file, more than 40 megapixels
    (including decompression bombs, refused before their pixels are decoded), or a file
    whose decoding would need more than `DECODE_BUDGET` of memory. A JPEG is decoded
    already reduced (`draft`: 1/2, 1/4 or 1/8 scale), so it never costs its full size.
    """
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvalidImageError(_("The image is larger than 10 MB."))
    with warnings.catch_warnings():
        # Pillow warns, then fails, past its own limit: both are a bomb to refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_checked(upload)
        image_format = image.format
        full_size = image.size
        try:
            if image_format == "JPEG":
                image.draft(None, (MAX_SIDE, MAX_SIDE))
            _check_decode_cost(image, full_size)
            image.load()
            image = _downscale(image)
            image = ImageOps.exif_transpose(image)
            image = to_display_mode(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
            raise InvalidImageError(_("The image is damaged or truncated.")) from exc
    return _reencode(image, image_format, upload)


def _downscale(image):
    """At most `MAX_SIDE` on the long side. `reduce` (box averaging) first: `thumbnail`
    alone would copy an image with alpha at full size to premultiply it."""
    if image.mode.startswith("I;16"):
        image = image.convert("I")
    factor = max(image.size) // MAX_SIDE
    if factor > 1 and image.mode not in {"P", "1"}:
        image = image.reduce(factor)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image


def to_display_mode(image):
    """`image` in RGB, or RGBA if it has transparency: the modes every encoder and browser
    takes. 16-bit grey keeps its range (scaled to 8 bits, not clipped to white)."""
    if image.mode in {"RGB", "RGBA"}:
        return image
    if image.mode.startswith("I;16") or image.mode in {"I", "F"}:
        image = image.convert("I") if image.mode.startswith("I;16") else image
        image = image.point(lambda value: value / 256).convert("L")
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _check_decode_cost(image, full_size):
    width, height = image.size
    per_pixel = _BYTES_PER_PIXEL.get(image.mode, 4)
    if image.format == "PNG" and per_pixel == 4:
        per_pixel = PNG_TRUECOLOUR_BYTES
    cost = width * height * per_pixel
    if image.format == "WEBP":
        cost *= WEBP_OVERHEAD
    if image.format == "JPEG" and ("progressive" in image.info or "progression" in image.info):
        # libjpeg holds every DCT coefficient of a progressive file, at full size.
        cost += full_size[0] * full_size[1] * len(image.getbands()) * 2
    lossless_too_big = image.format != "JPEG" and width * height > MAX_LOSSLESS_PIXELS
    if cost > DECODE_BUDGET or lossless_too_big:
        raise InvalidImageError(
            _(
                "The image is too large to process in this format. Save it with fewer "
                "pixels, or as a baseline (non-progressive) JPEG."
            )
        )


def _open_checked(upload):
    try:
        upload.seek(0)
        image = Image.open(upload, formats=list(FORMATS))
        _check_pixels(image)
        image.verify()
        upload.seek(0)
        image = Image.open(upload, formats=list(FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise InvalidImageError(_("Upload a PNG, JPEG or WebP image.")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidImageError(_("The image is damaged or truncated.")) from exc
    return image


def _check_pixels(image):
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels():
    return InvalidImageError(_("The image has more than 40 megapixels."))


def _reencode(image, image_format, upload) -> CleanImage:
    image.info = {}
    if image_format == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 90, "optimize": True} if image_format == "JPEG" else {}
    image.save(buffer, format=image_format, **options)
    stem = PurePath(getattr(upload, "name", "") or "image").stem[:60] or "image"
    name = f"{stem}.{FORMATS[image_format]}"
    return CleanImage(ContentFile(buffer.getvalue(), name=name), image_format, *image.size)


def make_thumbnail(source) -> ContentFile:
    """A small WebP copy of an already validated image file, for lists and cards."""
    with Image.open(source, formats=list(FORMATS)) as image:
        image.draft(None, THUMBNAIL_SIZE)
        image.thumbnail(THUMBNAIL_SIZE)
        # Files stored before every mode was converted (a 16-bit PNG) are converted here.
        image = to_display_mode(image)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=80)
    stem = PurePath(source.name).stem
    return ContentFile(buffer.getvalue(), name=f"{stem}-thumb.webp")
