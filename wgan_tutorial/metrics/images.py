"""The one input rule and the one batching loop that every feature extractor goes through.

- `check_images`: the shape, dtype and value-range rule for image arrays (the range inferred
  when not given: integers are 0-255, floats with a negative value [-1, 1], other floats
  [0, 1]); `image_value_range` is that rule for MNIST's 28x28 greyscale layout.
- `to_model_range`: a batch in its range -> float32 in [-1, 1], the networks' input range.
- `run_batches`: a forward function over all images, batch by batch (flat memory), with an
  optional tqdm progress bar.

Taught in notebooks/04_fid_evaluation.ipynb.
"""

import numpy as np

# Value ranges an image array may come in: name -> (low, high).
VALUE_RANGES = {"uint8": (0.0, 255.0), "[-1,1]": (-1.0, 1.0), "[0,1]": (0.0, 1.0)}
# Values may overshoot a range by this fraction of its width (float rounding), then are clipped.
RANGE_TOLERANCE = 1e-3

DEFAULT_BATCH_SIZE = 500
# `run_batches` shows a progress bar from this many images on (progress=None).
PROGRESS_MIN_IMAGES = 10_000

# The image shape of the package's MNIST classifier.
MNIST_SHAPE = (28, 28, 1)


def _layout(shape):
    """The accepted layouts, in words, for an (H, W, C) or None (any size, 1 or 3 channels)."""
    if shape is None:
        return "(N, H, W), (N, H, W, 1) or (N, H, W, 3)"
    height, width, channels = shape
    if channels == 1:
        return f"(N, {height}, {width}) or (N, {height}, {width}, 1)"
    return f"(N, {height}, {width}, {channels})"


def check_images(images, value_range=None, name="images", shape=None):
    """Check an image array's shape, dtype and value range; infer the range if not given.

    The rule when `value_range` is None: an integer array is read as [0, 255] (uint8);
    a float array with a negative value as [-1, 1] (the models' tanh range); a float array
    with no negative value as [0, 1] - a [-1, 1] MNIST digit has its background at -1, so
    it always has negative values. Values outside the range (beyond 0.1 % of its width)
    raise, naming the range found; there is no silent rescaling.

    Args:
        images: array (N, H, W) or (N, H, W, C) with C in (1, 3) and N >= 1, finite,
            integer or float.
        value_range: None (infer), "uint8" (0-255, integer or float dtype), "[-1,1]" or
            "[0,1]".
        name: the parameter name used in error messages.
        shape: None (any H, W; C in (1, 3)) or the (H, W, C) the images must have.

    Returns:
        (images as an array (N, H, W, C) (a view where possible), the range name).

    Raises:
        ValueError: unknown value_range; wrong shape or dtype; non-finite values; values
            outside the given or inferred range (the message gives the range found).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    if value_range is not None and value_range not in VALUE_RANGES:
        raise ValueError(
            f"value_range must be None or one of {tuple(VALUE_RANGES)}, got {value_range!r}"
        )
    layout = _layout(shape)
    if not hasattr(images, "shape") or not hasattr(images, "dtype"):
        raise ValueError(f"{name} must be an array of shape {layout}, got {type(images).__name__}")
    images = np.asarray(images)
    found = images.shape
    if images.ndim == 3:
        images = images[..., None]
    if shape is None:
        allowed = images.ndim == 4 and images.shape[-1] in (1, 3)
    else:
        allowed = images.shape[1:] == tuple(shape)
    if not allowed or images.shape[0] == 0:
        raise ValueError(f"{name} must have shape {layout} with N >= 1, got {found}")
    integer = np.issubdtype(images.dtype, np.integer)
    if not (integer or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(f"{name} must hold integers or floats, got dtype {images.dtype}")
    low, high = float(images.min()), float(images.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ValueError(f"{name} must be finite, got NaN or infinite values")
    if value_range is None:
        value_range = "uint8" if integer else ("[-1,1]" if low < 0 else "[0,1]")
    allowed_low, allowed_high = VALUE_RANGES[value_range]
    slack = RANGE_TOLERANCE * (allowed_high - allowed_low)
    if low < allowed_low - slack or high > allowed_high + slack:
        shown = f"0-255 ({value_range})" if value_range == "uint8" else value_range
        raise ValueError(
            f"{name} values lie in [{low:.4g}, {high:.4g}], outside the range {shown}; "
            f"give images as uint8 in [0, 255] or floats in [-1, 1] or [0, 1]"
        )
    return images, value_range


def image_value_range(images, value_range=None, name="images"):
    """`check_images` for MNIST-like images: (N, 28, 28) or (N, 28, 28, 1) only.

    Args:
        images: array of shape (N, 28, 28) or (N, 28, 28, 1), N >= 1, finite, integer or
            float.
        value_range: None (infer by the rule of `check_images`), "uint8" (0-255, integer or
            float dtype), "[-1,1]" or "[0,1]".
        name: the parameter name used in error messages.

    Returns:
        (images of shape (N, 28, 28), the range name).

    Raises:
        ValueError: unknown value_range; wrong shape or dtype; non-finite values; values
            outside the given or inferred range (the message gives the range found).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    images, value_range = check_images(images, value_range, name, MNIST_SHAPE)
    return images[..., 0], value_range


def to_model_range(batch, value_range):
    """A batch (B, H, W, C) in `value_range` -> float32 (B, H, W, C) in [-1, 1] (clipped)."""
    batch = batch.astype(np.float32)
    if value_range == "uint8":
        batch = batch / 127.5 - 1.0
    elif value_range == "[0,1]":
        batch = 2.0 * batch - 1.0
    return np.clip(batch, -1.0, 1.0)


def run_batches(images, value_range, forward, batch_size, progress=None, desc="features"):
    """`forward` over all images, batch by batch: memory stays flat in N.

    Args:
        images: (N, H, W, C) array in `value_range` (from `check_images`).
        value_range: "uint8", "[-1,1]" or "[0,1]".
        forward: float32 batch (B, H, W, C) in [-1, 1] -> an array (B, ...) or a tuple of them.
        batch_size: images per call of `forward`, int >= 1.
        progress: show a tqdm progress bar (None: from `PROGRESS_MIN_IMAGES` images on).
        desc: the progress bar's label.

    Returns:
        float32 array (N, ...) of the stacked outputs, or a tuple of them when `forward`
        returns a tuple.
    """
    from tqdm.auto import tqdm

    count = len(images)
    show = count >= PROGRESS_MIN_IMAGES if progress is None else bool(progress)
    outputs, single = None, True
    for start in tqdm(
        range(0, count, batch_size), desc=desc, unit="batch", disable=not show, leave=False
    ):
        stop = min(start + batch_size, count)
        results = forward(to_model_range(images[start:stop], value_range))
        single = not isinstance(results, tuple)
        results = (results,) if single else results
        if outputs is None:
            outputs = [np.empty((count,) + np.shape(part)[1:], np.float32) for part in results]
        for rows, part in zip(outputs, results, strict=True):
            rows[start:stop] = part
    return outputs[0] if single else tuple(outputs)
