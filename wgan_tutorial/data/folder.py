"""Any folder of images, as a data set: PNG, JPEG, BMP and GIF files found recursively.

Each file is read with Pillow, centre-cropped to a square, resized, and given 1 or 3
channels; the folder is streamed (never all in memory) and unreadable files are skipped and
counted, so a folder of photographs (e.g. CelebA) trains like a registry data set.

Taught in notebooks/06_your_own_images.ipynb.
"""

import logging
from pathlib import Path

import numpy as np

from wgan_tutorial.config import check_number
from wgan_tutorial.data.checks import check_choice
from wgan_tutorial.data.registry import CHANNELS, IMAGE_SIZES

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif")

_log = logging.getLogger(__name__)


def eight_bit(image):
    """A 16- or 32-bit integer greyscale image ("I;16", "I") as 8-bit "L", scaled by 255/65535.

    Pillow's own conversion to "L" clips such pixels at 255, which turns a 16-bit PNG
    almost all white; other modes are returned as they are.
    """
    from PIL import Image

    if image.mode != "I" and not image.mode.startswith("I;16"):
        return image
    wide = np.asarray(image, dtype=np.float64)
    return Image.fromarray(np.clip(np.rint(wide / 257.0), 0, 255).astype(np.uint8), "L")


def read_image(path, image_size, channels):
    """One image file as uint8 (image_size, image_size, channels), or None if unreadable.

    Transparent pixels are laid on white; a GIF gives its first frame; 16-bit greyscale is
    scaled to 8 bits (`eight_bit`). The largest centred
    square is cut out and resized (Pillow's bicubic filter, antialiased when shrinking).
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.draft("RGB" if channels == 3 else "L", (image_size, image_size))  # JPEG
            image = eight_bit(image)
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                rgba = image.convert("RGBA")
                image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
            image = image.convert("RGB" if channels == 3 else "L")
            width, height = image.size
            side = min(width, height)
            left, top = (width - side) // 2, (height - side) // 2
            image = image.crop((left, top, left + side, top + side))
            image = image.resize((image_size, image_size), Image.Resampling.BICUBIC)
            pixels = np.asarray(image, dtype=np.uint8)
    except (
        OSError,
        ValueError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        SyntaxError,
        EOFError,
    ):
        return None
    return pixels.reshape(image_size, image_size, channels)


class ImageFolder:
    """A folder of images (searched recursively), streamed as uint8 squares.

    Only the list of file paths is held in memory; images are read one at a time, in a
    seeded random order per pass, so a folder of 200,000 images costs the memory of a
    shuffle buffer, not of the data set. Files that cannot be read are skipped; the count
    is logged in one line after the first full pass (and `skipped` holds it).

    Args:
        root: the folder.
        image_size: 28, 32 or 64 (pixels of the square; `registry.IMAGE_SIZES`).
        channels: 1 (greyscale) or 3 (RGB; `registry.CHANNELS`).
        max_images: use a random subset of this many files (int >= 1, seeded), or all.
        seed: int >= 0, seed of the subset and of the order.

    Raises:
        ValueError: not a folder, no image files in it, or a parameter out of range.

    Taught in notebooks/06_your_own_images.ipynb.
    """

    def __init__(self, root, image_size=64, channels=3, max_images=None, seed=0):
        self.root = Path(root)
        self.image_size = check_choice(image_size, "image_size", IMAGE_SIZES)
        self.channels = check_choice(channels, "channels", CHANNELS)
        self.seed = check_number(seed, "seed", 0, integer=True)
        if not self.root.is_dir():
            raise ValueError(f"--data-dir {root} is not a folder of images")
        files = sorted(
            path
            for path in self.root.rglob("*")
            if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()
        )
        if not files:
            raise ValueError(
                f"--data-dir {root} holds no images ({', '.join(IMAGE_SUFFIXES)}, "
                f"searched recursively)"
            )
        if max_images is not None:
            max_images = check_number(max_images, "max_images", 1, integer=True)
            if max_images < len(files):
                keep = np.random.default_rng(self.seed).choice(
                    len(files), max_images, replace=False
                )
                files = [files[i] for i in np.sort(keep)]
        self.files = files
        self.skipped = None  # known after the first full pass
        self.image_shape = (self.image_size, self.image_size, self.channels)

    def __len__(self):
        return len(self.files)

    def images(self, pass_index=0, shuffle=True):
        """Yield the readable images of one pass, uint8 (S, S, C), in a seeded order."""
        order = np.arange(len(self.files))
        if shuffle:
            order = np.random.default_rng((self.seed, pass_index)).permutation(order)
        bad, yielded = [], 0
        for index in order:
            pixels = read_image(self.files[index], self.image_size, self.channels)
            if pixels is None:
                bad.append(self.files[index])
                continue
            yielded += 1
            yield pixels
        if self.skipped is None:
            self.skipped = len(bad)
            if bad and yielded:  # none readable: the error below says it, in one line
                _log.info(
                    "image folder: skipped %d unreadable file(s) of %d (e.g. %s)",
                    len(bad),
                    len(self.files),
                    bad[0].relative_to(self.root),
                )
        if not yielded:
            raise ValueError(
                f"--data-dir {self.root}: none of its {len(self.files)} image files could be read"
            )

    def take(self, n):
        """n readable images (the first of pass 0's seeded order), uint8 (n', S, S, C), n' <= n."""
        n = check_number(n, "n", 1, integer=True)
        out = np.empty((min(n, len(self.files)),) + self.image_shape, np.uint8)
        count = 0
        for pixels in self.images():
            out[count] = pixels
            count += 1
            if count == len(out):
                break
        return out[:count]
