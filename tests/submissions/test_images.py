import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from hackqc.exceptions import HackQCError
from submissions import services
from submissions.images import MAX_BYTES, InvalidImageError, validate_image
from submissions.models import Screenshot, Submission

from .images import gps_exif, image_bytes, png_claiming, upload


@pytest.mark.parametrize(("fmt", "expected"), [("PNG", "PNG"), ("JPEG", "JPEG"), ("WEBP", "WEBP")])
def test_validate_image_accepts_png_jpeg_webp(fmt, expected):
    clean = validate_image(upload(image_bytes(fmt), name=f"x.{fmt.lower()}"))

    assert clean.format == expected
    assert (clean.width, clean.height) == (64, 48)
    assert Image.open(io.BytesIO(clean.content.read())).format == expected


def test_validate_image_strips_exif_and_gps():
    original = image_bytes("JPEG", exif=gps_exif())
    assert Image.open(io.BytesIO(original)).getexif()  # the fixture does carry GPS

    clean = validate_image(upload(original, name="photo.jpg", content_type="image/jpeg"))

    reopened = Image.open(io.BytesIO(clean.content.read()))
    assert dict(reopened.getexif()) == {}
    assert "exif" not in reopened.info


def test_validate_image_refuses_another_format_renamed_png():
    gif = image_bytes("GIF", mode="P")

    with pytest.raises(InvalidImageError, match="PNG, JPEG or WebP"):
        validate_image(upload(gif, name="logo.png"))


def test_validate_image_refuses_text_renamed_png():
    with pytest.raises(InvalidImageError, match="PNG, JPEG or WebP"):
        validate_image(upload(b"<script>alert(1)</script>", name="logo.png"))


def test_validate_image_refuses_a_truncated_file():
    content = image_bytes("PNG", size=(400, 300))

    with pytest.raises(InvalidImageError, match="damaged"):
        validate_image(upload(content[: len(content) // 2]))


def test_validate_image_refuses_a_truncated_jpeg():
    content = image_bytes("JPEG", size=(400, 300))

    with pytest.raises(InvalidImageError, match="damaged"):
        validate_image(upload(content[: len(content) // 2], name="x.jpg"))


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (7_000, 6_000),  # 42 MP: over this site's limit, under Pillow's
        (10_000, 10_000),  # 100 MP: Pillow warns (a warning is an error in tests)
        (30_000, 30_000),  # 900 MP: Pillow's DecompressionBombError
    ],
)
def test_validate_image_refuses_too_many_pixels_and_bombs(width, height):
    with pytest.raises(InvalidImageError, match="40 megapixels"):
        validate_image(upload(png_claiming(width, height)))


def test_validate_image_refuses_more_than_10_mb():
    content = upload(image_bytes("PNG"))
    content.size = MAX_BYTES + 1

    with pytest.raises(InvalidImageError, match="10 MB"):
        validate_image(content)


def test_set_logo_stores_a_clean_copy_and_makes_its_thumbnail(
    sheet, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_logo(sheet, by=participant, upload=upload(image_bytes("PNG", (800, 600))))

    sheet.refresh_from_db()
    assert sheet.logo.name.endswith(".png")
    assert sheet.logo_thumbnail.name.endswith(".webp")
    with default_storage.open(sheet.logo_thumbnail.name) as thumb:
        assert Image.open(thumb).size == (427, 320)


def test_thumbnail_not_made_before_commit(sheet, participant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.set_logo(sheet, by=participant, upload=upload(image_bytes("PNG")))

    sheet.refresh_from_db()
    assert sheet.logo
    assert not sheet.logo_thumbnail
    assert len(callbacks) == 1  # the thumbnail task; no old file to delete


def test_replacing_the_logo_deletes_the_old_files_after_commit(
    sheet, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_logo(sheet, by=participant, upload=upload(image_bytes("PNG")))
    sheet.refresh_from_db()
    old = (sheet.logo.name, sheet.logo_thumbnail.name)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.set_logo(sheet, by=participant, upload=upload(image_bytes("JPEG"), "n.jpg"))
    assert all(default_storage.exists(name) for name in old)
    for callback in callbacks:
        callback()

    assert not any(default_storage.exists(name) for name in old)
    sheet.refresh_from_db()
    assert default_storage.exists(sheet.logo.name)


def test_set_logo_refuses_an_invalid_image_and_keeps_the_old_one(sheet, participant):
    services.set_logo(sheet, by=participant, upload=upload(image_bytes("PNG")))
    sheet.refresh_from_db()
    before = sheet.logo.name

    with pytest.raises(InvalidImageError):
        services.set_logo(sheet, by=participant, upload=upload(b"nope", name="x.png"))

    assert Submission.objects.get(pk=sheet.pk).logo.name == before


def test_screenshots_are_limited_to_six(sheet, participant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(services.MAX_SCREENSHOTS):
            services.add_screenshot(
                sheet, by=participant, upload=upload(image_bytes("PNG")), alt_text=f"Écran {n}"
            )

    with pytest.raises(HackQCError):
        services.add_screenshot(
            sheet, by=participant, upload=upload(image_bytes("PNG")), alt_text="Un de trop"
        )

    assert Screenshot.objects.filter(submission=sheet).count() == 6
    assert all(s.thumbnail for s in Screenshot.objects.all())


def test_removing_a_screenshot_deletes_its_files_after_commit(
    sheet, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        shot = services.add_screenshot(
            sheet, by=participant, upload=upload(image_bytes("PNG")), alt_text="Carte"
        )
    shot.refresh_from_db()
    names = (shot.image.name, shot.thumbnail.name)

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_screenshot(shot, by=participant)

    assert not Screenshot.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_make_thumbnails_task_is_idempotent_and_quiet_when_gone(sheet, participant):
    from submissions.tasks import task_make_thumbnails

    services.set_logo(sheet, by=participant, upload=upload(image_bytes("PNG")))
    task_make_thumbnails(submission_id=sheet.pk)
    sheet.refresh_from_db()
    first = sheet.logo_thumbnail.name

    task_make_thumbnails(submission_id=sheet.pk)
    task_make_thumbnails(submission_id=999_999)

    sheet.refresh_from_db()
    assert sheet.logo_thumbnail.name == first


def _encoded(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image", "fmt", "mode"),
    [
        (Image.new("CMYK", (64, 48), (0, 200, 200, 0)), "JPEG", "RGB"),
        (Image.new("I;16", (64, 48), 40_000), "PNG", "RGB"),
        (Image.new("P", (64, 48), 3), "PNG", "RGBA"),  # with a transparent colour below
        (Image.new("LA", (64, 48), (120, 60)), "PNG", "RGBA"),
        (Image.new("1", (64, 48), 1), "PNG", "RGB"),
        (Image.new("L", (64, 48), 90), "WEBP", "RGB"),
        (Image.new("RGBA", (64, 48), (1, 2, 3, 4)), "WEBP", "RGBA"),
    ],
    ids=[
        "cmyk-jpeg",
        "16-bit-png",
        "palette-transparency",
        "grey-alpha",
        "bilevel",
        "grey-webp",
        "rgba-webp",
    ],
)
def test_validate_image_converts_every_mode_and_its_thumbnail_works(image, fmt, mode):
    from submissions.images import make_thumbnail

    options = {"transparency": 3} if image.mode == "P" else {}
    clean = validate_image(upload(_encoded(image, fmt, **options), f"x.{fmt.lower()}"))

    with Image.open(clean.content) as stored:
        assert (stored.mode, stored.size) == (mode, (64, 48))
    assert Image.open(make_thumbnail(clean.content)).mode in {"RGB", "RGBA"}


def test_validate_image_keeps_16_bit_grey_levels_instead_of_clipping_to_white():
    clean = validate_image(upload(_encoded(Image.new("I;16", (8, 8), 32_768), "PNG")))

    with Image.open(clean.content) as stored:
        assert stored.getpixel((0, 0)) == (128, 128, 128)


def test_validate_image_stores_a_large_jpeg_downscaled(tmp_path):
    from submissions.images import MAX_SIDE

    big = Image.new("RGB", (6000, 4000), (10, 120, 200))
    clean = validate_image(upload(_encoded(big, "JPEG"), "big.jpg"))

    assert (clean.width, clean.height) == (MAX_SIDE, round(MAX_SIDE * 4000 / 6000))


def test_validate_image_refuses_a_progressive_jpeg_too_costly_to_decode():
    big = Image.new("CMYK", (5000, 4000), (0, 0, 0, 0))
    content = _encoded(big, "JPEG", progressive=True)

    with pytest.raises(InvalidImageError, match="too large to process"):
        validate_image(upload(content, "big.jpg"))


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_validating_a_40_megapixel_cmyk_jpeg_stays_within_150_mb_and_one_second():
    """The issue's case: a 1.8 MB CMYK JPEG of 40 MP added ~600 MB to the worker."""
    from bench.images import measure

    content = _encoded(Image.new("CMYK", (7300, 5479), (0, 90, 200, 10)), "JPEG")

    result = measure(content)

    assert result["outcome"].startswith("accepted")
    assert result["extra_mb"] <= 150
    assert result["cpu"] <= 1.0
