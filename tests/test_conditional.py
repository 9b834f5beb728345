"""The class-conditional WGAN-GP (issue #15): projection critic, penalty with the label held
fixed, training, sampling by label, and clear errors for bad labels."""

import json

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from tests.cli_run import run  # noqa: E402
from wgan_tutorial import data, losses, metrics, models, pretrained, training  # noqa: E402

TOY = dict(dataset="8gaussians", conditional=True, width=8, depth=1, batch_size=8, progress=False)


class _PenaltyOwner:
    """What a penalty function reads from the model: critic, lambda, RNG, one_sided."""

    def __init__(self, critic, gp_weight=1.0):
        self.critic, self.gp_weight, self.one_sided = critic, gp_weight, False
        self.seed_generator = keras.random.SeedGenerator(0)


def _linear_projection_critic(w, b, v):
    """f(x, y) = w.x + b + v_y.x built from keras layers by hand (phi = identity)."""
    d, classes = len(w), len(v)
    x_in, label = keras.Input((d,)), keras.Input((), dtype="int32")
    dense = keras.layers.Dense(1)
    embedding = keras.layers.Embedding(classes, d)
    score = keras.layers.Add()([dense(x_in), keras.layers.Dot(axes=1)([embedding(label), x_in])])
    critic = keras.Model([x_in, label], score)
    dense.set_weights([np.asarray(w, np.float32)[:, None], np.array([b], np.float32)])
    embedding.set_weights([np.asarray(v, np.float32)])
    return critic


def test_conditional_penalty_matches_the_closed_form_of_a_linear_projection_critic():
    # For fixed y, grad_x f(x, y) = w + v_y everywhere, so the penalty is
    # mean_i (||w + v_{y_i}|| - 1)^2 whatever the interpolation weights.
    rng = np.random.default_rng(0)
    w, v = rng.normal(size=3), rng.normal(size=(4, 3))
    critic = _linear_projection_critic(w, 0.3, v)
    labels = np.array([0, 1, 2, 3, 3, 1], np.int32)
    real = rng.normal(size=(6, 3)).astype(np.float32)
    fake = rng.normal(size=(6, 3)).astype(np.float32)
    term, logs = losses.two_sided_penalty(
        _PenaltyOwner(critic, gp_weight=10.0), real, fake, labels=tf.constant(labels)
    )
    norms = np.linalg.norm(w + v[labels], axis=1)
    expected = np.mean((norms - 1.0) ** 2)
    np.testing.assert_allclose(float(logs["gp"]), expected, rtol=1e-5)
    np.testing.assert_allclose(float(term), 10.0 * expected, rtol=1e-5)
    np.testing.assert_allclose(float(logs["gp_grad_norm"]), norms.mean(), rtol=1e-5)
    # one-sided: only norms above 1 count
    term, _ = losses.one_sided_penalty(
        _PenaltyOwner(critic), real, fake, labels=tf.constant(labels)
    )
    np.testing.assert_allclose(float(term), np.mean(np.maximum(norms - 1.0, 0.0) ** 2), rtol=1e-5)


def test_penalty_uses_each_samples_own_label():
    rng = np.random.default_rng(1)
    w, v = np.zeros(2), np.array([[3.0, 0.0], [0.0, 0.5]])  # norms 3 and 0.5
    critic = _linear_projection_critic(w, 0.0, v)
    points = rng.normal(size=(4, 2)).astype(np.float32)
    owner = _PenaltyOwner(critic)
    for labels, expected in (
        ([0, 0, 0, 0], 4.0),
        ([1, 1, 1, 1], 0.25),
        ([0, 1, 0, 1], (4.0 + 0.25) / 2),
    ):
        _, logs = losses.two_sided_penalty(
            owner, points, points[::-1].copy(), labels=tf.constant(labels, tf.int32)
        )
        np.testing.assert_allclose(float(logs["gp"]), expected, rtol=1e-5)
    # per sample, not only on average (a permutation of the labels keeps the mean):
    # sample i's norm is ||v_{y_i}||
    labels = np.array([0, 1, 1, 1, 0, 1, 1, 1], np.int32)  # a shuffle keeps it 1 time in 28
    points = rng.normal(size=(8, 2)).astype(np.float32)
    _, norms = losses.gradient_penalty(
        losses.critic_at_label(critic, tf.constant(labels)), points, points[::-1].copy()
    )
    np.testing.assert_allclose(norms.numpy(), np.linalg.norm(v[labels], axis=1), rtol=1e-5)


def test_projection_critic_input_gradient_matches_finite_differences():
    keras.utils.set_random_seed(3)
    critic = models.toy_critic(2, hidden=16, depth=2, num_classes=5)
    x = np.array([[0.3, -0.2], [1.1, 0.4], [-0.7, 0.9]], np.float32)
    labels = np.array([4, 0, 2], np.int32)
    norms = losses.critic_gradient_norms(losses.critic_at_label(critic, tf.constant(labels)), x)
    h = 1e-3  # small enough not to cross a ReLU kink near these points
    f = lambda points: critic([points, labels]).numpy()[:, 0]  # noqa: E731
    grads = np.stack(
        [(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(2, dtype=np.float32)], axis=1
    )
    np.testing.assert_allclose(norms.numpy(), np.linalg.norm(grads, axis=1), rtol=2e-3)
    # and the label matters: another class gives another score for the same points
    other = critic([x, (labels + 1) % 5]).numpy()
    assert np.max(np.abs(other - critic([x, labels]).numpy())) > 1e-4


def test_builders_take_labels_and_report_their_classes():
    generator = models.image_generator(noise_dim=8, width=2, num_classes=10)
    critic = models.image_critic(width=2, num_classes=10)
    assert models.num_classes(generator) == 10 and models.num_classes(critic) == 10
    assert models.num_classes(models.mnist_generator(8, width=2)) is None
    images = generator([np.zeros((3, 8), np.float32), np.array([0, 5, 9], np.int32)]).numpy()
    assert images.shape == (3, 28, 28, 1)
    assert critic([images, np.array([0, 5, 9], np.int32)]).shape == (3, 1)
    # the same noise with two labels gives two images
    z = np.ones((2, 8), np.float32)
    pair = generator([z, np.array([1, 7], np.int32)]).numpy()
    assert np.abs(pair[0] - pair[1]).max() > 1e-4
    with pytest.raises(ValueError, match="num_classes must be"):
        models.image_generator(noise_dim=8, width=2, num_classes=1)


@pytest.mark.parametrize(
    "labels, message",
    [
        (10, r"labels must be integers in 0\.\.9"),
        (-1, r"labels must be integers in 0\.\.9"),
        (np.array([1, 2]), r"labels must be one integer in 0\.\.9 or 4 of them"),
        (np.array([1.0, 2.0, 3.0, 4.0]), r"labels must be one integer"),
    ],
)
def test_sample_refuses_bad_labels(labels, message):
    generator = models.image_generator(noise_dim=8, width=2, num_classes=10)
    with pytest.raises(ValueError, match=message):
        models.sample(generator, 4, labels=labels)


def test_sample_by_label_and_unconditional_refusal():
    generator = models.image_generator(noise_dim=8, width=2, num_classes=10)
    same = models.sample(generator, 6, seed=1, labels=3)
    per_sample = models.sample(generator, 6, seed=1, labels=np.full(6, 3))
    np.testing.assert_array_equal(same, per_sample)
    # the latent vectors do not depend on the labels asked for
    other = models.sample(generator, 6, seed=1, labels=4)
    direct = generator(
        [
            np.random.default_rng(1).standard_normal((6, 8)).astype(np.float32),
            np.full(6, 4, np.int32),
        ]
    ).numpy()
    np.testing.assert_allclose(other, direct, atol=1e-6)
    with pytest.raises(ValueError, match="labels are for a conditional generator"):
        models.sample(models.mnist_generator(8, width=2), 2, labels=1)


def test_wgan_refuses_mismatched_or_unlabelled_inputs():
    generator = models.image_generator(noise_dim=8, width=2, num_classes=10)
    with pytest.raises(ValueError, match="same classes"):
        training.WGAN(generator, models.image_critic(width=2))
    wgan = training.WGAN(generator, models.image_critic(width=2, num_classes=10), n_critic=1)
    wgan.compile()
    with pytest.raises(ValueError, match="conditional WGAN trains on \\(images, labels\\)"):
        wgan.train_step(tf.zeros((4, 28, 28, 1)))


def test_toy_modes_come_with_their_labels():
    points, modes = data.toy_samples("8gaussians", 2000, seed=0, labels=True)
    centres = data.eight_gaussian_centres() / 1.414
    nearest = np.argmin(((points[:, None] - centres[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(nearest, modes)
    assert set(np.unique(modes)) == set(range(8))
    # the points are the unlabelled set's, so the toy sets did not change
    np.testing.assert_array_equal(points, data.toy_samples("8gaussians", 2000, seed=0))
    with pytest.raises(ValueError, match="toy set with modes"):
        data.toy_samples("swissroll", 10, labels=True)


def test_conditional_run_resumes_and_records_like_the_unconditional_one(tmp_path):
    save_dir = tmp_path / "run"
    wgan, _ = training.train(steps=4, save_dir=save_dir, checkpoint_every=2, seed=0, **TOY)
    assert wgan.num_classes == 8
    assert json.loads((save_dir / training.CONFIG_FILE).read_text())["conditional"] is True
    resumed, history = training.train(steps=7, save_dir=save_dir, progress=False)
    assert resumed.step == 7 and list(history["step"]) == list(range(1, 8))
    assert np.all(np.isfinite(history["gp"]))
    generator = pretrained.load_generator(save_dir / training.GENERATOR_FILE)
    assert models.num_classes(generator) == 8
    with pytest.raises(ValueError, match="save_dir .* holds a run with conditional=True"):
        training.train(steps=8, save_dir=save_dir, conditional=False, progress=False)


def test_conditional_nan_stops_with_the_last_good_checkpoint(tmp_path):
    class Poison(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if self.model.step == 3:
                for variable in self.model.critic.trainable_variables:
                    variable.assign(variable * np.nan)

    with pytest.raises(training.NonFiniteLossError, match=r"checkpoint \(step 2\)"):
        training.train(
            steps=10, save_dir=tmp_path / "run", checkpoint_every=2, callbacks=[Poison()], **TOY
        )


def test_cli_conditional_train_and_sample_by_label(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("WGAN_TUTORIAL_FAST", "1")
    status, _, err = run(
        [
            "train",
            "--conditional",
            "--dataset",
            "8gaussians",
            "--steps",
            "2",
            "--width",
            "4",
            "--save-dir",
            str(tmp_path / "toy"),
            "--no-progress",
        ],
        capsys,
    )
    assert status == 0, err
    run_dir = "pretrained:cwgan-gp-mnist"  # a conditional image model, shipped
    status, out, err = run(
        [
            "sample",
            "--model",
            run_dir,
            "--n",
            "5",
            "--label",
            "7",
            "--out",
            str(tmp_path / "sevens.npy"),
        ],
        capsys,
    )
    assert status == 0, err
    sevens = np.load(tmp_path / "sevens.npy", allow_pickle=False)
    assert sevens.shape == (5, 28, 28)
    for argv, message in (
        (
            [
                "sample",
                "--model",
                run_dir,
                "--n",
                "5",
                "--label",
                "10",
                "--out",
                str(tmp_path / "x.npy"),
            ],
            "--label must be an integer in 0..9, got 10",
        ),
        (
            [
                "sample",
                "--model",
                run_dir,
                "--n",
                "5",
                "--label",
                "-1",
                "--out",
                str(tmp_path / "x.npy"),
            ],
            "--label: must be an integer >= 0",
        ),
        (
            [
                "sample",
                "--model",
                "pretrained:wgan-gp-mnist",
                "--n",
                "5",
                "--label",
                "1",
                "--out",
                str(tmp_path / "x.npy"),
            ],
            "is not conditional",
        ),
        (
            ["train", "--conditional", "--dataset", "swissroll", "--steps", "1", "--no-progress"],
            "conditional needs a data set with classes",
        ),
    ):
        status, _, err = run(argv, capsys)
        assert status == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_per_class_scores_of_real_digits_against_themselves():
    images, labels = data.load_mnist("test", data.subset_path(), verbose=False)
    images, labels = images[:600], labels[:600]  # 48-68 per class
    scores = metrics.per_class_scores(images, labels, images, labels)
    read = metrics.classify(images)
    for k in range(10):  # agreement is the classifier's per-class accuracy, FID 0 to itself
        assert scores["agreement"][k] == pytest.approx(np.mean(read[labels == k] == k))
    assert scores["overall_agreement"] == pytest.approx(np.mean(read == labels))
    np.testing.assert_allclose(scores["fid"], 0.0, atol=1e-3)
    shown = metrics.per_class_scores(images, labels, images, labels, progress=True)
    np.testing.assert_allclose(shown["fid"], scores["fid"])  # the bar changes nothing else
    # swapping two classes' labels makes both far from their real class
    swapped = np.where(labels == 0, 1, np.where(labels == 1, 0, labels))
    moved = metrics.per_class_scores(images, swapped, images, labels)
    assert moved["fid"][0] > 50 and moved["fid"][1] > 50 and moved["agreement"][0] < 0.05
    with pytest.raises(ValueError, match="requested must hold one label per image"):
        metrics.per_class_scores(images, labels[:-1], images, labels)


@pytest.mark.learning
def test_conditional_toy_model_puts_class_k_near_mode_k():
    # 8gaussians with its modes as labels; chance is 1/8 per class.
    wgan, _ = training.train(
        dataset="8gaussians",
        conditional=True,
        steps=300,
        width=32,
        depth=3,
        learning_rate=1e-3,
        seed=1,
        progress=False,
    )
    centres = data.eight_gaussian_centres() / 1.414
    hits = []
    for k in range(8):
        points = models.sample(wgan.sampler, 200, seed=k, labels=k)
        nearest = np.argmin(((points[:, None] - centres[None]) ** 2).sum(-1), axis=1)
        hits.append(np.mean(nearest == k))
    # 1,600 draws at chance would give 0.125 +- 0.008 (one standard error)
    assert np.mean(hits) > 0.5, hits
