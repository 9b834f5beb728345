"""Course analyses built on the FID: per-class scores and the W estimate against the FID.

- `per_class_scores`: how well a conditional generator draws each digit (label agreement
  with the MNIST classifier and a per-class FID). Taught in
  notebooks/07_do_generated_digits_help.ipynb.
- `w_estimate_vs_fid`: does the critic's W estimate track the FID along training? Taught in
  notebooks/04_fid_evaluation.ipynb.
"""

import numpy as np

from wgan_tutorial.config import check_number
from wgan_tutorial.metrics.classifier import NUM_CLASSES, features_and_logits
from wgan_tutorial.metrics.frechet import feature_statistics, frechet_distance
from wgan_tutorial.metrics.images import DEFAULT_BATCH_SIZE


def per_class_scores(
    images,
    requested,
    real_images,
    real_labels,
    value_range=None,
    batch_size=DEFAULT_BATCH_SIZE,
    progress=False,
):
    """How well a conditional generator draws each class: label agreement and per-class FID.

    Agreement: the share of the images of requested class k that the classifier reads as k.
    FID of class k: between the features of the images requested as k and those of the real
    images labelled k (Heusel et al. 2017, arXiv 1706.08500, Section 3, per class; biased
    upwards at small sizes like any FID, so compare at equal sizes).

    Args:
        images: generated digits (N, 28, 28[, 1]). requested: int (N,), the labels asked for.
        real_images, real_labels: the reference digits (e.g. the MNIST test split) and labels.
        value_range, batch_size: as `features`.
        progress: show a progress bar for each of the two feature passes.

    Returns:
        dict: "agreement" float64 (10,), "overall_agreement" float, "fid" float64 (10,).

    Raises:
        ValueError: labels not one per image, or a class with fewer than 2 images.

    Taught in notebooks/07_do_generated_digits_help.ipynb.
    """
    requested = np.asarray(requested).reshape(-1)
    real_labels = np.asarray(real_labels).reshape(-1)
    features_fake, logits = features_and_logits(images, batch_size, value_range, progress)
    features_real = features_and_logits(
        real_images, batch_size, None, progress, name="real_images"
    )[0]
    for name, labels, rows in (
        ("requested", requested, features_fake),
        ("real_labels", real_labels, features_real),
    ):
        if labels.shape != (len(rows),):
            raise ValueError(
                f"{name} must hold one label per image ({len(rows)}), got shape {labels.shape}"
            )
    agreement, fids = np.zeros(NUM_CLASSES), np.zeros(NUM_CLASSES)
    for k in range(NUM_CLASSES):
        fake_k, real_k = features_fake[requested == k], features_real[real_labels == k]
        if len(fake_k) < 2 or len(real_k) < 2:
            raise ValueError(
                f"class {k} needs at least 2 generated and 2 real images, got "
                f"{len(fake_k)} and {len(real_k)}"
            )
        agreement[k] = np.mean(np.argmax(logits[requested == k], axis=1) == k)
        fids[k] = frechet_distance(*feature_statistics(fake_k), *feature_statistics(real_k))
    overall = float(np.mean(np.argmax(logits, axis=1) == requested))
    return {"agreement": agreement, "overall_agreement": overall, "fid": fids}


def w_estimate_vs_fid(steps, w_estimates, fid_steps, fid_values, window=50):
    """Does the critic's W estimate track the FID? Both at the same steps, and correlations.

    The W estimate of one step is noisy, so each FID step s gets the mean W estimate over
    the steps in (s - window, s]; FID steps with no W estimate there (step 0, before any
    training) are left out. Pearson's r measures a linear relation, Spearman's rho a
    monotone one (both `scipy.stats`).

    Args:
        steps, w_estimates: arrays (S,) of generator steps and the W estimate logged at
            each (as in `training.train`'s history); NaN estimates are skipped.
        fid_steps, fid_values: arrays (F,) (as a `fid_tracker`'s steps and fids).
        window: int >= 1, steps averaged per FID step.

    Returns:
        dict: "steps" and "fid" (the FID steps kept, (K,)), "w_estimate" ((K,), the mean
        W estimates), "pearson" and "spearman" (floats; NaN when K < 3).

    Raises:
        ValueError: shapes that do not match, or window < 1.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    from scipy import stats

    steps, w_estimates = np.asarray(steps), np.asarray(w_estimates, dtype=np.float64)
    fid_steps, fid_values = np.asarray(fid_steps), np.asarray(fid_values, dtype=np.float64)
    if steps.shape != w_estimates.shape or steps.ndim != 1:
        raise ValueError(
            f"steps and w_estimates must be 1-D of equal length, got {steps.shape} and "
            f"{w_estimates.shape}"
        )
    if fid_steps.shape != fid_values.shape or fid_steps.ndim != 1:
        raise ValueError(
            f"fid_steps and fid_values must be 1-D of equal length, got {fid_steps.shape} and "
            f"{fid_values.shape}"
        )
    window = check_number(window, "window", 1, integer=True)
    kept_steps, kept_fid, kept_w = [], [], []
    for step, value in zip(fid_steps, fid_values, strict=True):
        inside = (steps > step - window) & (steps <= step) & np.isfinite(w_estimates)
        if inside.any():
            kept_steps.append(step)
            kept_fid.append(value)
            kept_w.append(w_estimates[inside].mean())
    kept_fid, kept_w = np.asarray(kept_fid), np.asarray(kept_w)
    enough = len(kept_fid) >= 3
    return {
        "steps": np.asarray(kept_steps, dtype=np.int64),
        "fid": kept_fid,
        "w_estimate": kept_w,
        "pearson": float(stats.pearsonr(kept_w, kept_fid)[0]) if enough else float("nan"),
        "spearman": float(stats.spearmanr(kept_w, kept_fid)[0]) if enough else float("nan"),
    }
