"""Beyond MNIST: colour models and training, colour sampling and scoring, the loss registry."""

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from scipy.io import wavfile

import wgan_tutorial
from wgan_tutorial import cli, data, losses, metrics, models, training


def _colour_folder(root, count=24, size=40):
    """count small colour PNGs: a red-to-blue gradient with a random bright square each."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(count):
        pixels = np.zeros((size, size, 3), np.uint8)
        pixels[..., 0] = np.linspace(0, 255, size)[None, :]
        pixels[..., 2] = 255 - pixels[..., 0]
        top, left = rng.integers(0, size - 8, 2)
        pixels[top : top + 8, left : left + 8] = 255
        Image.fromarray(pixels).save(root / f"image_{i:03d}.png")
    return root


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 1), (32, 32, 3), (64, 64, 1), (64, 64, 3)])
def test_image_models_map_noise_to_the_shape_and_back_to_a_score(shape):
    generator = models.image_generator(shape, noise_dim=8, width=4)
    critic = models.image_critic(shape, width=4)
    images = generator(np.zeros((2, 8), np.float32))
    assert tuple(images.shape) == (2,) + shape
    assert tuple(critic(images).shape) == (2, 1)


def test_image_shape_outside_the_supported_ones_is_refused():
    for bad in [(48, 48, 3), (32, 32, 2), (32, 28, 3), "32x32"]:
        with pytest.raises(ValueError, match="image_shape must be"):
            models.image_generator(bad)


def test_mnist_builders_are_the_28_pixel_image_builders():
    a, b = models.mnist_generator(16, 4), models.image_generator((28, 28, 1), 16, 4)
    assert [w.shape for w in a.weights] == [w.shape for w in b.weights]
    assert [w.shape for w in models.mnist_critic(4).weights] == [
        w.shape for w in models.image_critic((28, 28, 1), 4).weights
    ]


@pytest.mark.parametrize("size", [32, 64])
def test_twenty_steps_of_colour_training_from_a_folder(tmp_path, size):
    folder = _colour_folder(tmp_path / "images")
    wgan, history = training.train(
        dataset="folder",
        data_dir=folder,
        image_size=size,
        channels=3,
        steps=20,
        width=4,
        noise_dim=8,
        batch_size=4,
        save_dir=tmp_path / "run",
        samples_dir=tmp_path / "samples",
        sample_every=10,
        progress=False,
    )
    assert history["step"].tolist() == list(range(1, 21))
    assert np.all(np.isfinite(history["w_estimate"])) and np.all(np.isfinite(history["gp"]))
    assert tuple(wgan.generator.output_shape[1:]) == (size, size, 3)
    grid = np.asarray(Image.open(tmp_path / "samples" / "step_000020.png"))
    assert grid.shape[2] in (3, 4) and grid.shape[0] == 8 * (size + 1) - 1  # 64 samples, 8 x 8
    assert training.read_config(tmp_path / "run")["image_shape"] == [size, size, 3]


@pytest.fixture(scope="module")
def colour_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("colour")
    folder = _colour_folder(root / "images")
    status = cli.main(
        [
            "train",
            "--dataset",
            "folder",
            "--data-dir",
            str(folder),
            "--image-size",
            "32",
            "--channels",
            "3",
            "--max-images",
            "20",
            "--steps",
            "3",
            "--width",
            "4",
            "--noise-dim",
            "8",
            "--batch-size",
            "4",
            "--save-dir",
            str(root / "run"),
            "--no-progress",
        ]
    )
    return root, status


def test_sample_writes_colour_arrays_pngs_and_a_wav(colour_run, tmp_path, capsys):
    root, status = colour_run
    assert status == 0
    assert (
        cli.main(
            [
                "sample",
                "--model",
                str(root / "run"),
                "--n",
                "5",
                "--out",
                str(tmp_path / "s.npy"),
                "--sonify",
                str(tmp_path / "s.wav"),
            ]
        )
        == 0
    )
    images = np.load(tmp_path / "s.npy", allow_pickle=False)
    assert images.dtype == np.uint8 and images.shape == (5, 32, 32, 3)
    rate, sound = wavfile.read(tmp_path / "s.wav")
    assert sound.dtype == np.int16 and len(sound) == round(5 * 1.5 * rate)
    assert (
        cli.main(
            ["sample", "--model", str(root / "run"), "--n", "3", "--out", f"{tmp_path / 'pngs'}/"]
        )
        == 0
    )
    png = Image.open(tmp_path / "pngs" / "sample_0.png")
    assert png.size == (32, 32) and png.mode in ("RGB", "RGBA")
    np.testing.assert_array_equal(np.asarray(png)[..., :3], images[0])


def test_fid_and_kid_of_colour_images_from_the_command_line(colour_run, tmp_path, capsys):
    root, _ = colour_run
    fake = tmp_path / "fake.npy"
    assert cli.main(["sample", "--model", str(root / "run"), "--n", "12", "--out", str(fake)]) == 0
    capsys.readouterr()
    status = cli.main(
        [
            "fid",
            "--fake",
            str(fake),
            "--dataset",
            "folder",
            "--data-dir",
            str(root / "images"),
            "--kid",
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert re.search(r"FID: \d+\.\d+", out) and re.search(r"KID: -?\d+\.\d+ \+- \d+\.\d+", out)
    assert "12 images of folder" in out


def test_colour_scores_use_the_named_features_and_kid_is_zero_mean_for_a_copy():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (20, 32, 32, 3), dtype=np.uint8)
    report = metrics.score_images(images, images, "mnist")
    assert report["fid"] == pytest.approx(0.0, abs=1e-6)
    assert report["features"] == "mnist" and report["n_fake"] == 20
    rows = metrics.mnist_features(images)
    assert rows.shape == (20, metrics.FEATURE_DIM)


def test_inception_plumbing_with_random_weights_gives_2048_features():
    # RANDOM weights (weights=None): this checks resizing, channels and batching only.
    rows = metrics.inception_features(
        np.zeros((3, 32, 32, 1), np.uint8), batch_size=2, weights=None
    )
    assert rows.shape == (3, 2048) and np.all(np.isfinite(rows))


def test_inception_offline_is_one_line_saying_how_to_get_the_weights(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data, "host_answers", lambda url: False)
    metrics.inception_model.cache_clear()
    with pytest.raises(ValueError, match="offline.*--features mnist"):
        metrics.inception_features(np.zeros((2, 32, 32, 3), np.uint8))
    np.save(tmp_path / "fake.npy", np.zeros((4, 32, 32, 3), np.uint8))
    np.save(tmp_path / "real.npy", np.zeros((4, 32, 32, 3), np.uint8))
    status = cli.main(
        [
            "fid",
            "--fake",
            str(tmp_path / "fake.npy"),
            "--real",
            str(tmp_path / "real.npy"),
            "--features",
            "inception",
        ]
    )
    err = capsys.readouterr().err
    assert status == 2 and len(err.strip().splitlines()) == 1 and "InceptionV3" in err


class _LinearCritic:
    """f(x) = w . x, whose input gradient has norm ||w|| everywhere."""

    def __init__(self, norm):
        import tensorflow as tf

        self.w = tf.constant(np.full((4, 1), norm / 2.0, np.float32))  # ||w|| = norm

    def __call__(self, x, training=False):
        return x @ self.w


class _Model:
    def __init__(self, norm):
        import keras

        self.critic, self.gp_weight, self.one_sided = _LinearCritic(norm), 1.0, False
        self.seed_generator = keras.random.SeedGenerator(0)


@pytest.mark.parametrize("norm, gp, lp", [(0.5, 0.25, 0.0), (3.0, 4.0, 4.0)])
def test_lp_penalises_only_norms_above_one(norm, gp, lp):
    real, fake = np.ones((6, 4), np.float32), np.zeros((6, 4), np.float32)
    model = _Model(norm)
    # closed forms: (||w|| - 1)^2 two-sided; max(0, ||w|| - 1)^2 one-sided (Petzka et al.)
    assert float(losses.LOSSES["gp"].critic_penalty(model, real, fake)[0]) == pytest.approx(
        gp, rel=1e-5
    )
    assert float(losses.LOSSES["lp"].critic_penalty(model, real, fake)[0]) == pytest.approx(
        lp, abs=1e-6
    )


def test_lp_trains_and_logs_its_penalty():
    _, history = training.train(
        loss="lp", steps=2, width=4, noise_dim=8, batch_size=8, progress=False
    )
    assert np.all(np.isfinite(history["gp"]))


def test_no_module_outside_the_registries_branches_on_a_loss_or_a_runs_dataset_name():
    package = Path(wgan_tutorial.__file__).parent
    pattern = re.compile(r"""(loss|loss_type)\s*[!=]=\s*["']|\["dataset"\]\s*[!=]=\s*["']""")
    # step_checker.py writes Algorithm 1 of each paper out by hand, as the oracle of a student
    # exercise (clip and gp only): its branches are the exercise, not a consumer of the registry.
    # The registries themselves (losses, the data registry, the presets) name their entries.
    registries = ("losses.py", "registry.py", "defaults.py", "step_checker.py")
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path.name not in registries
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_train_classifier_for_fashion_mnist_from_its_idx_files(tmp_path, capsys):
    from tests.test_datasets import _write_idx

    _write_idx(tmp_path / "fashion")
    status = cli.main(
        [
            "train-classifier",
            "--dataset",
            "fashion-mnist",
            "--data-path",
            str(tmp_path / "fashion"),
            "--epochs",
            "1",
            "--batch-size",
            "4",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0 and "training on 5 digits, testing on 3" in out
    assert (tmp_path / "out" / "fashion_mnist_classifier.weights.h5").is_file()
    assert "--dataset fashion-mnist" in (tmp_path / "out" / metrics.LOG_FILE).read_text()


def test_mnist_fid_report_adds_kid_when_asked(tmp_path, capsys):
    images, _ = data.load_mnist("test", verbose=False)
    np.save(tmp_path / "fake.npy", images[:200])
    assert cli.main(["fid", "--fake", str(tmp_path / "fake.npy"), "--kid"]) == 0
    out = capsys.readouterr().out
    assert "real-vs-real floor" in out
    kid_value = float(re.search(r"KID: (-?\d+\.\d+) \+- (\d+\.\d+)", out).group(1))
    # real test digits against the test split: the unbiased KID is near zero, far below a
    # batch of blank images' (the same command on zeros)
    np.save(tmp_path / "blank.npy", np.zeros((200, 28, 28), np.uint8))
    assert cli.main(["fid", "--fake", str(tmp_path / "blank.npy"), "--kid"]) == 0
    blank = float(re.search(r"KID: (-?\d+\.\d+)", capsys.readouterr().out).group(1))
    assert abs(kid_value) < 0.05 * blank
