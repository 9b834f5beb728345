"""The FID callback: a Keras callback scoring a WGAN's generator with the FID along training.

`FidTracker` draws n images from the same fixed latent vectors at each scoring (so the curve
shows the generator changing, not the sampling noise) and scores them with
`scoring.fid_to_real`; `fid_tracker` is the notebook's short way to build one. The sweep of
notebook 05 (`wgan-tutorial sweep`) uses the same class.

Taught in notebooks/04_fid_evaluation.ipynb.
"""

from wgan_tutorial.config import check_number, import_tensorflow
from wgan_tutorial.metrics.extractors import get_extractor
from wgan_tutorial.metrics.scoring import fid_to_real

import_tensorflow()
import keras  # noqa: E402


class FidTracker(keras.callbacks.Callback):
    """FID of a fixed set of generated images along training (a callback for `training.WGAN`).

    When to score: at the start of training (`at_start`), after every generator step that is
    a multiple of `every`, after the steps in `at_steps`, and at the end (`at_end`); a step
    is scored at most once in a row. Each score draws n images with
    `models.sample(model.sampler, n, seed=seed)` and computes their FID to the real split.

    Args:
        every: int >= 1, generator steps between two scores, or None.
        at_steps: generator steps to score at (ints).
        n: images per score, int >= 2 (keep it fixed within a comparison: FID depends on n).
        split, path: the real reference, as in `scoring.real_statistics`.
        seed: int >= 0, seed of the latent vectors.
        features: a name of `extractors.FEATURE_EXTRACTORS` or an entry (default "mnist").
        batch_size: images per forward pass (None: the extractor's).
        at_start, at_end: also score when training begins / ends.
        progress: show progress bars (False: never; None: from 10,000 images on).
        skip_diverged: score nothing once the model is marked diverged
            (`model.divergence` is not None, set by `training.StopOnNonFinite`).
        nan_on_error: record NaN when the images have no FID (a ValueError: NaN outputs of a
            diverged generator) instead of raising.

    Attributes:
        steps: the generator steps scored (list of int).
        fids: their FIDs (list of float, NaN where `nan_on_error` applied).

    Raises:
        ValueError: every or n out of range, or an unknown extractor.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """

    def __init__(
        self,
        every=None,
        at_steps=(),
        n=2000,
        split="test",
        seed=0,
        path=None,
        features="mnist",
        batch_size=None,
        at_start=True,
        at_end=True,
        progress=False,
        skip_diverged=True,
        nan_on_error=True,
    ):
        super().__init__()
        self.every = None if every is None else check_number(every, "every", 1, integer=True)
        self.n = check_number(n, "n", 2, integer=True)
        self.at_steps = {int(step) for step in at_steps}
        self.split, self.seed, self.path = split, seed, path
        self.features = get_extractor(features)
        self.batch_size, self.progress = batch_size, progress
        self.at_start, self.at_end = at_start, at_end
        self.skip_diverged, self.nan_on_error = skip_diverged, nan_on_error
        self.steps, self.fids = [], []

    def _wanted(self):
        return not self.skip_diverged or getattr(self.model, "divergence", None) is None

    def score(self):
        """Score the model's generator now (once per step)."""
        from wgan_tutorial.models import sample

        step = int(self.model.step)
        if self.steps and self.steps[-1] == step:
            return
        images = sample(self.model.sampler, self.n, seed=self.seed)
        try:
            value = fid_to_real(
                images,
                self.split,
                None,
                self.path,
                "[-1,1]",
                self.batch_size,
                progress=self.progress,
                features=self.features,
            )
        except ValueError:
            if not self.nan_on_error:
                raise
            value = float("nan")  # NaN outputs of a diverged generator have no FID
        self.fids.append(value)
        self.steps.append(step)

    def on_train_begin(self, logs=None):
        if self.at_start and self._wanted():
            self.score()

    def on_train_batch_end(self, batch, logs=None):
        step = self.model.step
        due = (self.every is not None and step % self.every == 0) or step in self.at_steps
        if due and self._wanted():
            self.score()

    def on_train_end(self, logs=None):
        if self.at_end and self._wanted():
            self.score()


def fid_tracker(every, n=2000, split="test", seed=0, path=None, batch_size=None, features="mnist"):
    """A `FidTracker` scoring at the start, every `every` generator steps and at the end.

    Pass it to `training.train(callbacks=[...])`. It neither skips a diverged model nor
    turns a failed score into NaN (a ValueError stops training): build a `FidTracker` for
    those options.

    Args:
        every: int >= 1, generator steps between two scores.
        n: images per score, int >= 2 (keep it fixed within a comparison: FID depends on n).
        split, path: the real reference, as in `scoring.real_statistics`.
        seed: int >= 0, seed of the latent vectors.
        batch_size: images per forward pass (None: the extractor's).
        features: a name of `extractors.FEATURE_EXTRACTORS` or an entry (default "mnist").

    Returns:
        A `FidTracker`; after training its `steps` and `fids` attributes hold the generator
        steps and the FIDs (lists of equal length).

    Raises:
        ValueError: every or n out of range.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    every = check_number(every, "every", 1, integer=True)
    return FidTracker(
        every,
        (),
        n,
        split,
        seed,
        path,
        features,
        batch_size,
        at_start=True,
        at_end=True,
        progress=False,
        skip_diverged=False,
        nan_on_error=False,
    )
