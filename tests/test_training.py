"""The WGAN trainer (wgan_tutorial.training): train_step, callbacks, resuming, stopping."""

import csv
import json

import numpy as np
import pytest

from wgan_tutorial.config import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402

from wgan_tutorial import models, pretrained, training  # noqa: E402

TOY = dict(dataset="8gaussians", width=8, depth=1, batch_size=8, progress=False)


def metrics_rows(save_dir):
    with open(save_dir / training.METRICS_FILE, newline="") as handle:
        return list(csv.DictReader(handle))


def test_clipping_bounds_every_critic_weight_after_a_train_step():
    keras.utils.set_random_seed(0)
    critic = models.mnist_critic(width=2)
    for variable in critic.trainable_variables:  # start far outside [-c, c]
        variable.assign(variable * 0 + 0.5)
    wgan = training.WGAN(
        models.mnist_generator(8, width=2), critic, loss="clip", n_critic=2, clip_value=0.01
    )
    wgan.compile()
    data = np.random.default_rng(0).uniform(-1, 1, (2 * 4, 28, 28, 1)).astype(np.float32)
    wgan.train_step(tf.constant(data))
    weights = np.concatenate([w.ravel() for w in critic.get_weights()])
    assert np.abs(weights).max() <= 0.01 + 1e-9
    assert np.isclose(np.abs(weights), 0.01).any()  # clipping was active


def test_train_step_logs_hand_computed_w_estimate_for_linear_critic():
    # critic f(x) = w.x + b, w = (1, -2), b = 0.5; generator with zero kernel and bias
    # (3, 1): every fake is (3, 1), f = 3 - 2 + 0.5 = 1.5. Real batch: mean (1, 0.5), so
    # mean f(real) = 1 - 1 + 0.5 = 0.5. W estimate = 0.5 - 1.5 = -1.0; critic loss = +1.0;
    # scores are taken before the update, so these are exact.
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.set_weights([np.array([[1.0], [-2.0]], np.float32), np.array([0.5], np.float32)])
    generator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    generator.set_weights([np.zeros((3, 2), np.float32), np.array([3.0, 1.0], np.float32)])
    wgan = training.WGAN(generator, critic, loss="clip", n_critic=1, clip_value=10.0)
    wgan.compile()
    real = np.array([[0.0, 1.0], [2.0, 0.0], [1.0, 0.5], [1.0, 0.5]], np.float32)
    logs = wgan.train_step(tf.constant(real))
    assert float(logs["w_estimate"]) == pytest.approx(-1.0, abs=1e-6)
    assert float(logs["critic_loss"]) == pytest.approx(1.0, abs=1e-6)
    # the generator's update sees the critic after its step; its loss is -mean f(fake)
    new_w, new_b = critic.get_weights()
    assert float(logs["generator_loss"]) == pytest.approx(
        -float(np.array([3.0, 1.0]) @ new_w.ravel() + new_b[0]), abs=1e-5
    )


@pytest.mark.parametrize("graph", [False, True], ids=["eager", "graph"])
def test_each_of_the_n_critic_updates_sees_its_own_real_batch(graph):
    # Hand oracle. Critic f(x) = w.x + b, plain SGD with rate 0.1; the generator has a zero
    # kernel and bias g = (1, 1), so every fake is g. The critic loss of update i is
    # mean f(fake) - mean f(real_i) = w.(g - m_i) (m_i the mean of real batch i), so its
    # gradient is g - m_i for w and 0 for b. Batches with means m = (1, 0), (0, 3), (-2, -1):
    #   w0 = (0.5, -1)
    #   w1 = w0 - 0.1 (0, 1)  = (0.5, -1.1)
    #   w2 = w1 - 0.1 (1, -2) = (0.4, -0.9)
    #   w3 = w2 - 0.1 (3, 2)  = (0.1, -1.1)
    # and the logged estimate (last update, scores before its step) is
    # w2.(m2 - g) = (0.4, -0.9).(-3, -2) = 0.6. The same batch for all three updates would
    # give (0.5, -1.3); one update only, (0.5, -1.1). Clipping at 100 never binds.
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.set_weights([np.array([[0.5], [-1.0]], np.float32), np.zeros(1, np.float32)])
    generator = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    generator.set_weights([np.zeros((3, 2), np.float32), np.array([1.0, 1.0], np.float32)])
    wgan = training.WGAN(generator, critic, loss="clip", n_critic=3, clip_value=100.0)
    wgan.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    batches = np.array([[[0, 0], [2, 0]], [[0, 4], [0, 2]], [[-3, -1], [-1, -1]]], np.float32)
    train_step = tf.function(wgan.train_step) if graph else wgan.train_step
    logs = train_step(tf.constant(batches.reshape(6, 2)))
    kernel, bias = critic.get_weights()
    np.testing.assert_allclose(kernel.ravel(), [0.1, -1.1], atol=1e-6)
    np.testing.assert_allclose(bias, [0.0], atol=1e-7)
    assert float(logs["w_estimate"]) == pytest.approx(0.6, abs=1e-6)


@pytest.mark.parametrize(
    "argument, message",
    [
        (dict(loss="hinge"), "loss must be one of"),
        (dict(n_critic=0), "n_critic must be an integer >= 1, got 0"),
        (dict(clip_value=0.0), "clip_value must be a number > 0"),
        (dict(gp_weight=-1.0), "gp_weight must be a number >= 0"),
    ],
)
def test_wgan_rejects_out_of_range_parameters_naming_them(argument, message):
    with pytest.raises(ValueError, match=message):
        training.WGAN(
            models.toy_generator(hidden=4, depth=1),
            models.toy_critic(hidden=4, depth=1),
            **argument,
        )


def test_default_optimizers_are_the_papers():
    critic_opt, generator_opt = training.default_optimizers("clip")
    assert isinstance(critic_opt, keras.optimizers.RMSprop) and critic_opt is not generator_opt
    assert float(critic_opt.learning_rate) == pytest.approx(5e-5)
    adam, _ = training.default_optimizers("gp")
    assert isinstance(adam, keras.optimizers.Adam)
    assert (float(adam.learning_rate), adam.beta_1, adam.beta_2) == pytest.approx((1e-4, 0.5, 0.9))
    assert training.default_optimizers("gp", beta_1=0.0)[0].beta_1 == 0.0
    with pytest.raises(ValueError, match="learning_rate must be a number > 0"):
        training.default_optimizers("gp", learning_rate=-1e-3)


@pytest.mark.parametrize("loss", ["clip", "gp"])
def test_critic_lr_scale_multiplies_the_critics_rate_only(loss):
    # Heusel et al. 2017, Section 2: two learning rates, the critic's a multiple of the generator's
    critic_opt, generator_opt = training.default_optimizers(loss, 3e-4, critic_lr_scale=2.5)
    assert float(critic_opt.learning_rate) == pytest.approx(7.5e-4)
    assert float(generator_opt.learning_rate) == pytest.approx(3e-4)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="critic_lr_scale must be a"):
            training.default_optimizers(loss, critic_lr_scale=bad)


def test_fading_rate_falls_linearly_from_scale_times_the_rate_to_the_rate():
    schedule = training.FadingRate(1e-3, 2.5, 400)
    # closed form: 1e-3 (1 + 1.5 (1 - t / 400)) until t = 400, then 1e-3
    for step, expected in (
        (0, 2.5e-3),
        (100, 2.125e-3),
        (200, 1.75e-3),
        (400, 1e-3),
        (10_000, 1e-3),
    ):
        assert float(schedule(step)) == pytest.approx(expected), step
    critic_opt, generator_opt = training.default_optimizers(
        "gp", 1e-3, critic_lr_scale=2.5, critic_lr_fade=400
    )
    critic_opt.iterations.assign(200)
    assert float(critic_opt.learning_rate) == pytest.approx(1.75e-3)
    assert float(generator_opt.learning_rate) == pytest.approx(1e-3)
    with pytest.raises(ValueError, match="critic_lr_fade must be an integer >= 0"):
        training.default_optimizers("gp", critic_lr_fade=-1)


def test_a_resumed_run_continues_the_critics_fading_rate(tmp_path):
    training.train(
        loss="gp",
        steps=2,
        save_dir=tmp_path,
        critic_lr_scale=3.0,
        critic_lr_fade=4,
        learning_rate=1e-3,
        n_critic=1,
        **TOY,
    )
    wgan, _ = training.train(steps=3, save_dir=tmp_path, progress=False)
    # 3 critic updates of a 4-update fade: 1e-3 (1 + 2 (1 - 3 / 4))
    assert int(wgan.critic_optimizer.iterations) == 3
    assert float(wgan.critic_optimizer.learning_rate) == pytest.approx(1.5e-3)
    wgan, _ = training.train(steps=6, save_dir=tmp_path, progress=False)
    assert float(wgan.critic_optimizer.learning_rate) == pytest.approx(1e-3)


def test_only_gp_on_mnist_doubles_the_critics_rate_by_default():
    assert training.default_config("gp", "mnist")["critic_lr_scale"] == 2.0
    assert training.default_config("gp", "mnist")["critic_lr_fade"] > 0
    for loss, dataset in (
        ("clip", "mnist"),
        ("sn", "mnist"),
        ("gan", "mnist"),
        ("gp", "fashion-mnist"),
        ("gp", "8gaussians"),
    ):
        assert training.default_config(loss, dataset)["critic_lr_scale"] == 1.0, (loss, dataset)


def test_a_run_saved_without_critic_lr_scale_resumes_with_equal_rates(tmp_path):
    training.train(loss="gp", steps=2, save_dir=tmp_path, **TOY)
    config = json.loads((tmp_path / training.CONFIG_FILE).read_text())
    assert config["critic_lr_scale"] == 1.0  # toys: the paper's single rate
    del config["critic_lr_scale"], config["critic_lr_fade"]  # as written before the keys
    (tmp_path / training.CONFIG_FILE).write_text(json.dumps(config))
    assert training.read_config(tmp_path)["critic_lr_scale"] == 1.0
    assert training.read_config(tmp_path)["critic_lr_fade"] == 0
    wgan, _ = training.train(steps=3, save_dir=tmp_path, progress=False)
    assert wgan.step == 3
    assert float(wgan.critic_optimizer.learning_rate) == float(
        wgan.generator_optimizer.learning_rate
    )
    with pytest.raises(ValueError, match="critic_lr_scale=1.0, requested critic_lr_scale=2.0"):
        training.train(steps=4, save_dir=tmp_path, critic_lr_scale=2.0, progress=False)


def test_fit_steps_count_generator_iterations_and_gp_metrics_are_logged():
    wgan, history = training.train(loss="gp", steps=3, n_critic=2, **TOY)
    assert wgan.step == 3
    assert int(wgan.generator_optimizer.iterations) == 3
    assert int(wgan.critic_optimizer.iterations) == 6
    assert list(history["step"]) == [1, 2, 3]
    for name in (
        "critic_loss",
        "generator_loss",
        "w_estimate",
        "critic_grad_norm",
        "generator_grad_norm",
        "gp",
        "gp_grad_norm",
    ):
        assert np.all(np.isfinite(history[name])), name
    # critic loss = -W estimate + lambda * gp
    np.testing.assert_allclose(
        history["critic_loss"], -history["w_estimate"] + 10.0 * history["gp"], rtol=1e-4, atol=1e-5
    )


def test_same_seed_gives_identical_runs():
    first = training.train(loss="gp", steps=3, seed=4, **TOY)[1]
    second = training.train(loss="gp", steps=3, seed=4, **TOY)[1]
    for name in ("critic_loss", "generator_loss", "w_estimate"):
        np.testing.assert_array_equal(first[name], second[name])


def test_resume_continues_step_count_rng_state_and_metrics_without_gaps(tmp_path):
    save_dir = tmp_path / "run"
    wgan, _ = training.train(loss="clip", steps=6, save_dir=save_dir, checkpoint_every=4, **TOY)
    restored = pretrained.load_wgan(save_dir)
    assert restored.step == 6
    np.testing.assert_array_equal(
        restored.seed_generator.state.numpy(), wgan.seed_generator.state.numpy()
    )
    assert int(restored.critic_optimizer.iterations) == 6 * 5
    for saved, loaded in zip(wgan.critic.get_weights(), restored.critic.get_weights(), strict=True):
        np.testing.assert_array_equal(saved, loaded)

    resumed, history = training.train(steps=10, save_dir=save_dir, progress=False)
    assert resumed.step == 10
    assert list(history["step"]) == list(range(1, 11))
    assert np.all(np.diff(history["seconds"]) >= 0)
    assert [row["step"] for row in metrics_rows(save_dir)] == [str(s) for s in range(1, 11)]
    assert (save_dir / training.GENERATOR_FILE).is_file()
    assert (save_dir / training.CURVES_FILE).is_file()
    # asking for a step already reached trains nothing
    again, history = training.train(steps=8, save_dir=save_dir, progress=False)
    assert again.step == 10 and len(history["step"]) == 10


def test_resume_drops_metric_rows_written_after_the_last_checkpoint(tmp_path):
    save_dir = tmp_path / "run"
    training.train(loss="clip", steps=4, save_dir=save_dir, checkpoint_every=2, **TOY)
    with open(save_dir / training.METRICS_FILE, "a") as handle:  # a run killed at step 6
        handle.write("5,9,9,9,9,9,,,99\n6,9,9,9,9,9,,,99\n")
    _, history = training.train(steps=6, save_dir=save_dir, progress=False)
    assert list(history["step"]) == [1, 2, 3, 4, 5, 6]
    assert not np.any(history["critic_loss"] == 9.0)


def test_save_dir_of_another_configuration_is_rejected_naming_the_difference(tmp_path):
    save_dir = tmp_path / "run"
    training.train(loss="clip", steps=1, save_dir=save_dir, **TOY)
    with pytest.raises(ValueError, match="width=8, requested width=16"):
        training.train(steps=2, save_dir=save_dir, width=16, progress=False)
    with pytest.raises(ValueError, match="loss='clip', requested loss='gp'"):
        training.train(steps=2, save_dir=save_dir, loss="gp", progress=False)


def test_corrupt_checkpoint_is_reported_as_unreadable(tmp_path):
    save_dir = tmp_path / "run"
    training.train(loss="gp", steps=2, save_dir=save_dir, **TOY)
    for path in (save_dir / training.CHECKPOINT_DIR).glob("ckpt-*"):
        path.write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match=f"checkpoint in {save_dir} is unreadable: "):
        training.train(steps=4, save_dir=save_dir, progress=False)


class PoisonCritic(keras.callbacks.Callback):
    """Set the critic's weights to NaN at the end of generator step `at`."""

    def __init__(self, at):
        super().__init__()
        self.at = at

    def on_train_batch_end(self, batch, logs=None):
        if self.model.step == self.at:
            for variable in self.model.critic.trainable_variables:
                variable.assign(variable * np.nan)


def test_nan_loss_stops_training_and_keeps_the_last_good_checkpoint(tmp_path):
    save_dir = tmp_path / "run"
    with pytest.raises(
        training.NonFiniteLossError,
        match=r"diverged at step 6: critic_loss = nan.*checkpoint \(step 4\)",
    ):
        training.train(
            loss="gp",
            steps=20,
            save_dir=save_dir,
            checkpoint_every=2,
            callbacks=[PoisonCritic(at=5)],
            **TOY,
        )
    checkpoints = sorted(p.name for p in (save_dir / training.CHECKPOINT_DIR).glob("*.index"))
    assert checkpoints == ["ckpt-2.index", "ckpt-4.index"]
    assert not (save_dir / training.GENERATOR_FILE).exists()
    restored = pretrained.load_wgan(save_dir)
    assert restored.step == 4
    assert all(np.all(np.isfinite(w)) for w in restored.critic.get_weights())
    rows = metrics_rows(save_dir)
    assert [row["step"] for row in rows] == ["1", "2", "3", "4", "5"]
    # the run resumes from step 4 once the cause is gone
    resumed, history = training.train(steps=7, save_dir=save_dir, progress=False)
    assert resumed.step == 7 and list(history["step"]) == list(range(1, 8))


def test_time_budget_stops_cleanly_and_saves_everything(tmp_path):
    save_dir, samples_dir = tmp_path / "run", tmp_path / "samples"
    wgan, history = training.train(
        loss="gp", steps=1000, max_seconds=1e-3, save_dir=save_dir, samples_dir=samples_dir, **TOY
    )
    assert wgan.step == 1 and list(history["step"]) == [1]
    assert (save_dir / training.CHECKPOINT_DIR / "ckpt-1.index").is_file()
    assert (save_dir / training.GENERATOR_FILE).is_file()
    assert sorted(p.name for p in samples_dir.iterdir()) == ["step_000000.png", "step_000001.png"]
    config = json.loads((save_dir / training.CONFIG_FILE).read_text())
    assert config["loss"] == "gp" and config["width"] == 8


def test_epochs_convert_to_generator_steps():
    # 10,000 points / (256 per batch x 5 critic updates) = 7.8 -> 8 steps per epoch
    assert training.steps_for_epochs(1, 10_000, 256, 5) == 8
    assert training.steps_for_epochs(2.5, 60_000, 64, 5) == 469  # 150,000 / 320 = 468.75


def test_steps_and_epochs_together_are_rejected():
    with pytest.raises(ValueError, match="steps or epochs, not both"):
        training.train(steps=3, epochs=1, **TOY)


def test_sampling_maps_tanh_range_to_uint8_and_ignores_batch_size():
    values = np.array([-1.0, -0.2, 0.0, 0.999, 1.5])
    images = np.broadcast_to(values[:, None, None], (5, 28, 28))
    # rint((x + 1) * 127.5): 0, 102, 127.5 -> 128 (half to even), 254.87 -> 255, clipped 255
    np.testing.assert_array_equal(models.to_uint8_images(images)[:, 0, 0], [0, 102, 128, 255, 255])
    generator = models.mnist_generator(noise_dim=4, width=2)
    one_go = models.sample(generator, 7, seed=3, batch_size=7)
    batched = models.sample(generator, 7, seed=3, batch_size=2)
    np.testing.assert_allclose(one_go, batched, atol=1e-6)
    assert one_go.shape == (7, 28, 28, 1)


class _RecordGeneratorWeights(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.after_step = []

    def on_train_batch_end(self, batch, logs=None):
        self.after_step.append([w.copy() for w in self.model.generator.get_weights()])


def test_weight_average_follows_the_warmed_up_recurrence():
    # The oracle, written out: a_0 = the initial weights; after generator step t (1, 2, ...)
    # a_t = d_t a_{t-1} + (1 - d_t) w_t with d_t = min(ema, (1 + t) / (10 + t)) and w_t the
    # generator's weights after that step (recorded by a callback).
    wgan = training.WGAN(
        models.toy_generator(2, 8, 1),
        models.toy_critic(2, 8, 1),
        loss="gp",
        n_critic=1,
        ema=0.5,
        seed=3,
    )
    wgan.compile()
    average = [w.copy() for w in wgan.generator.get_weights()]
    recorder = _RecordGeneratorWeights()
    points = np.random.default_rng(0).normal(size=(6 * 16, 2)).astype(np.float32)
    wgan.fit(points, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])
    assert len(recorder.after_step) == 6
    for t, weights in enumerate(recorder.after_step, start=1):
        decay = min(0.5, (1 + t) / (10 + t))
        average = [decay * a + (1 - decay) * w for a, w in zip(average, weights, strict=True)]
    for expected, got in zip(average, wgan.ema_generator.get_weights(), strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    assert wgan.sampler is wgan.ema_generator
    assert not np.allclose(average[0], recorder.after_step[-1][0])  # it is an average


def test_no_weight_average_samples_from_the_trained_generator():
    wgan = training.WGAN(models.toy_generator(2, 8, 1), models.toy_critic(2, 8, 1), ema=0.0)
    assert wgan.ema_generator is None and wgan.sampler is wgan.generator


@pytest.mark.parametrize("ema", [-0.1, 1.0, 1.5])
def test_weight_average_decay_outside_0_1_is_rejected(ema):
    with pytest.raises(ValueError, match=r"ema must be"):
        training.WGAN(models.toy_generator(2, 8, 1), models.toy_critic(2, 8, 1), ema=ema)


def test_averaged_generator_is_checkpointed_and_is_what_a_run_folder_samples(tmp_path):
    wgan, _ = training.train(loss="gp", steps=3, save_dir=tmp_path, ema=0.9, **TOY)
    expected = wgan.ema_generator.get_weights()
    # the average differs from the trained weights, so the checks below tell them apart
    assert any(
        not np.array_equal(average, trained)
        for average, trained in zip(expected, wgan.generator.get_weights(), strict=True)
    )
    loaded = pretrained.load_generator(tmp_path)
    for want, got in zip(expected, loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    saved = keras.models.load_model(tmp_path / training.GENERATOR_FILE, compile=False)
    for want, got in zip(expected, saved.get_weights(), strict=True):
        np.testing.assert_array_equal(got, want)
    assert json.loads((tmp_path / training.CONFIG_FILE).read_text())["ema"] == 0.9


def test_a_finished_run_logs_one_summary_line(caplog):
    caplog.set_level("INFO", logger="wgan_tutorial")
    _, history = training.train(loss="gp", steps=3, **dict(TOY, progress=True))
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("trained to")]
    assert lines == [
        f"trained to step 3: 3 steps in {history['seconds'][-1]:.0f} s of training, "
        f"W estimate {history['w_estimate'][-1]:.4g} at the end"
    ]


# --- the baselines: the standard GAN, spectral and layer normalisation ------------------------


def test_gan_defaults_are_dcgan_adam_with_one_discriminator_update():
    # Radford et al. 2016, Section 4: Adam, learning rate 0.0002, beta_1 0.5 (beta_2: Adam's
    # default 0.999); Goodfellow et al. 2014, Algorithm 1 with k = 1.
    for loss in ("gan", "gan-minimax"):
        adam, _ = training.default_optimizers(loss)
        assert (float(adam.learning_rate), adam.beta_1, adam.beta_2) == pytest.approx(
            (2e-4, 0.5, 0.999)
        )
        config = training.default_config(loss, "mnist")
        assert (config["n_critic"], config["learning_rate"]) == (1, pytest.approx(2e-4))
    # Miyato et al. 2018, Table 1, setting A (the WGAN-GP paper's Adam) for sn
    adam, _ = training.default_optimizers("sn")
    assert (float(adam.learning_rate), adam.beta_1, adam.beta_2) == pytest.approx((1e-4, 0.5, 0.9))
    assert training.default_config("sn", "mnist")["n_critic"] == 5


def test_critics_without_normalization_are_unchanged_and_the_others_differ():
    # normalization=None must build the critics of the papers, weight for weight
    for build in (
        lambda **k: models.image_critic((28, 28, 1), 4, **k),
        lambda **k: models.toy_critic(2, 8, 2, **k),
    ):
        keras.utils.set_random_seed(5)
        plain = build()
        keras.utils.set_random_seed(5)
        explicit = build(normalization=None)
        assert [type(layer) for layer in plain.layers] == [type(layer) for layer in explicit.layers]
        for a, b in zip(plain.get_weights(), explicit.get_weights(), strict=True):
            np.testing.assert_array_equal(a, b)
        spectral = build(normalization="spectral")
        wrapped = [
            layer
            for layer in spectral.layers
            if isinstance(layer, keras.layers.SpectralNormalization)
        ]
        weight_layers = [
            layer
            for layer in plain.layers
            if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))
        ]
        assert len(wrapped) == len(weight_layers)
        layered = build(normalization="layer")
        norms = [
            layer for layer in layered.layers if isinstance(layer, keras.layers.GroupNormalization)
        ]
        assert len(norms) == len(weight_layers) - 2  # hidden layers but the first
    with pytest.raises(ValueError, match="normalization must be one of"):
        models.toy_critic(2, 8, 2, normalization="batch")


def test_layer_normalised_critic_scores_each_sample_on_its_own():
    # the reason for layer norm rather than batch norm (Gulrajani et al., Section 4): a
    # sample's score must not depend on the rest of the batch, or the penalty is not per sample
    keras.utils.set_random_seed(1)
    critic = models.image_critic((28, 28, 1), 4, normalization="layer")
    x = np.random.default_rng(2).uniform(-1, 1, size=(6, 28, 28, 1)).astype(np.float32)
    together = keras.ops.convert_to_numpy(critic(x, training=True))
    alone = np.concatenate(
        [keras.ops.convert_to_numpy(critic(x[i : i + 1], training=True)) for i in range(6)]
    )
    np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-6)
    norm = critic.layers[4]  # conv 1, LeakyReLU, conv 2, then its norm
    assert isinstance(norm, keras.layers.GroupNormalization)
    before, after = keras.Model(critic.input, [critic.layers[3].output, norm.output])(x)
    before = keras.ops.convert_to_numpy(before).reshape(6, -1).astype(np.float64)
    # freshly built (scale 1, offset 0): each sample standardised over all its H x W x C
    # features, (v - mean) / sqrt(var + epsilon)
    mean, var = before.mean(axis=1, keepdims=True), before.var(axis=1, keepdims=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(after).reshape(6, -1),
        (before - mean) / np.sqrt(var + norm.epsilon),
        rtol=1e-4,
        atol=1e-5,
    )


def test_spectral_critic_saves_and_loads_as_a_keras_file_with_its_power_iteration_vector(tmp_path):
    keras.utils.set_random_seed(2)
    critic = models.image_critic((28, 28, 1), 4, normalization="spectral")
    x = np.random.default_rng(0).uniform(-1, 1, size=(3, 28, 28, 1)).astype(np.float32)
    for _ in range(3):
        critic(x, training=True)  # moves vector_u away from its initial value
    critic.save(tmp_path / "critic.keras")
    loaded = keras.models.load_model(tmp_path / "critic.keras")
    assert len(loaded.weights) == len(critic.weights)
    for a, b in zip(
        critic.weights, loaded.weights, strict=True
    ):  # the same order, vector_u included
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    vectors = [w for w in loaded.non_trainable_weights if "vector_u" in w.path]
    assert len(vectors) == 4  # three convolutions and the output layer
    np.testing.assert_allclose(loaded(x), critic(x), rtol=1e-6)


# gan-minimax differs from gan only in its generator objective, tested in test_losses
@pytest.mark.parametrize("loss", ["gan", "sn", "gp-ln"])
def test_baseline_losses_train_resume_from_a_checkpoint_and_write_metrics(loss, tmp_path):
    save_dir = tmp_path / loss
    wgan, history = training.train(loss=loss, steps=3, save_dir=save_dir, checkpoint_every=2, **TOY)
    assert list(history["step"]) == [1, 2, 3]
    for name in ("critic_loss", "generator_loss", "w_estimate"):
        assert np.all(np.isfinite(history[name])), name
    if loss.startswith("gan"):
        assert wgan.n_critic == 1 and np.all(history["critic_loss"] > 0)  # a cross-entropy
        assert np.all(np.isnan(history["gp"]))
    restored = pretrained.load_wgan(save_dir)
    assert restored.step == 3
    assert len(restored.critic.weights) == len(wgan.critic.weights)
    for saved, loaded in zip(
        wgan.critic.weights, restored.critic.weights, strict=True
    ):  # vector_u too
        np.testing.assert_array_equal(saved.numpy(), loaded.numpy(), err_msg=saved.path)
    resumed, history = training.train(steps=5, save_dir=save_dir, progress=False)
    assert resumed.step == 5
    assert [row["step"] for row in metrics_rows(save_dir)] == [str(s) for s in range(1, 6)]
    assert json.loads((save_dir / training.CONFIG_FILE).read_text())["loss"] == loss


def test_training_curves_of_a_thinned_log_label_their_windows_in_steps():
    from wgan_tutorial import plotting

    def history(steps):
        values = np.sin(steps / 50.0)
        return {
            "step": steps,
            "critic_loss": values,
            "generator_loss": -values,
            "w_estimate": values,
        }

    full = plotting.plot_training_curves(history(np.arange(1, 1001)))
    thinned = plotting.plot_training_curves(history(np.arange(10, 10_001, 10)))
    # 1,000 rows either way: the default window is 1/50 of them, 20 rows = 20 or 200 steps
    assert "moving average of 20 steps" in full.axes[0].get_ylabel()
    assert "moving average of 200 steps" in thinned.axes[0].get_ylabel()
    assert [line.get_label() for line in thinned.axes[1].get_lines()] == [
        "every 10 steps",
        "moving average (200 steps)",
    ]
    # smooth is in steps: 100 steps are 10 rows of the thinned log
    smoothed = plotting.plot_training_curves(history(np.arange(10, 10_001, 10)), smooth=100)
    assert len(smoothed.axes[1].get_lines()[1].get_xdata()) == 1000 - 10 + 1
    plotting.plt.close("all")
