"""Photos attached to insights: checked, and re-encoded without their metadata."""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
# Pixels are decoded to re-encode: a small file must not unpack into gigabytes.
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


def clean_photo(photo) -> ContentFile:
    """A real JPEG, PNG, WebP or GIF image up to 5 MB, re-encoded without its metadata.

    Re-encoding drops EXIF, XMP and comments (camera owner, serial number, GPS
    position), which would otherwise reach everyone who sees an anonymous report;
    the orientation EXIF carried is applied to the pixels first.
    """
    invalid = ValidationError({"photo": _("Upload a JPEG, PNG, WebP or GIF image.")})
    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("The photo is larger than 5 MB.")})
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            image.verify()
            kind = image.format
        if kind not in PHOTO_FORMATS:
            raise invalid
        photo.seek(0)
        with Image.open(photo) as image:
            width, height = image.size
            if width * height * getattr(image, "n_frames", 1) > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    {"photo": _("The photo has too many pixels (at most 40 megapixels).")}
                )
            animated = getattr(image, "n_frames", 1) > 1
            if animated:
                frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
            else:
                frames = [ImageOps.exif_transpose(image)]
            duration = image.info.get("duration")
            loop = image.info.get("loop")
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise invalid from exc
    finally:
        photo.seek(0)
    first = frames[0]
    if kind == "JPEG" and first.mode not in ("RGB", "L"):
        first = first.convert("RGB")
    options = {}
    if animated:
        options = {"save_all": True, "append_images": frames[1:]}
        options.update({k: v for k, v in (("duration", duration), ("loop", loop)) if v is not None})
    elif kind == "JPEG":
        options = {"quality": 90}
    for frame in frames:
        frame.info = {}  # nothing of the original's metadata is written back
    out = io.BytesIO()
    first.save(out, format=kind, **options)
    # The stored name is random (photo_upload_to); only the right extension is kept.
    return ContentFile(out.getvalue(), name="photo" + PHOTO_FORMATS[kind])
