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
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
THUMBNAIL_SIZE = (480, 320)


class InvalidImageError(HackQCError):
    """The upload is not an image this site accepts."""


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    format: str
    width: int
    height: int


def validate_image(upload) -> CleanImage:
    """Opens `upload` with Pillow and returns a metadata-free re-encoded copy.

    Raises InvalidImageError for a file over 10 MB, a format other than PNG, JPEG or WebP
    (whatever its name says), a truncated or corrupt file, or more than 40 megapixels
    (including decompression bombs, refused before their pixels are decoded).
    """
    if upload.size is not None and upload.size > MAX_BYTES:
        raise InvalidImageError(_("The image is larger than 10 MB."))
    with warnings.catch_warnings():
        # Pillow warns, then fails, past its own limit: both are a bomb to refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = _open_checked(upload)
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
            raise InvalidImageError(_("The image is damaged or truncated.")) from exc
    return _reencode(image, upload)


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


def _reencode(image, upload) -> CleanImage:
    image_format = image.format or "PNG"
    image.info = {}
    if image_format == "JPEG" and image.mode not in {"RGB", "L", "CMYK"}:
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
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=80)
    stem = PurePath(source.name).stem
    return ContentFile(buffer.getvalue(), name=f"{stem}-thumb.webp")
