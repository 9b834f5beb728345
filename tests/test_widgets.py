"""The logic behind notebook 05's explorers, without a browser: toy runs, caching, the shipped
MNIST sweep and the `wgan-tutorial sweep` command."""

import json
import math
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest

from wgan_tutorial import cli, training, widgets
from wgan_tutorial.config import import_tensorflow
from wgan_tutorial.course import sweep as sweep_module

tf = import_tensorflow()
import keras  # noqa: E402

TINY = dict(steps=3, hidden=16, depth=2, batch_size=64)


@pytest.fixture(scope="module")
def tiny_result():
    return widgets.train_toy(widgets.toy_setting(**TINY), progress=False)


def _linear_critic(a, b, c):
    """f(x) = a x1 + b x2 + c as a keras model (a Dense layer with set weights)."""
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    critic.layers[0].set_weights([np.array([[a], [b]], np.float32), np.array([c], np.float32)])
    return critic


# --- toy settings ---------------------------------------------------------------------------


def test_toy_setting_stores_none_for_the_constraint_the_loss_does_not_use():
    gp = widgets.toy_setting(loss="gp", gp_weight=1.0, clip_value=0.5)
    assert gp.clip_value is None and gp.gp_weight == 1.0
    assert gp == widgets.toy_setting(loss="gp", gp_weight=1.0, clip_value=0.01)
    clip = widgets.toy_setting(loss="clip", gp_weight=3.0, clip_value=0.1)
    assert clip.gp_weight is None and clip.clip_value == 0.1
    assert clip.learning_rate == widgets.TOY_LEARNING_RATE


@pytest.mark.parametrize(
    "arguments, name",
    [
        (dict(dataset="mnist"), "dataset"),
        (dict(loss="wgan"), "loss"),
        (dict(gp_weight=-1.0), "gp_weight"),
        (dict(gp_weight=float("nan")), "gp_weight"),
        (dict(loss="clip", clip_value=0.0), "clip_value"),
        (dict(n_critic=0), "n_critic"),
        (dict(n_critic=2.5), "n_critic"),
        (dict(steps=0), "steps"),
        (dict(seed=-1), "seed"),
        (dict(hidden=0), "hidden"),
        (dict(learning_rate=0.0), "learning_rate"),
    ],
)
def test_bad_toy_settings_raise_value_error_naming_the_parameter(arguments, name):
    with pytest.raises(ValueError, match=name):
        widgets.toy_setting(**arguments)


def test_train_toy_accepts_only_a_toy_setting():
    with pytest.raises(ValueError, match="ToySetting"):
        widgets.train_toy(("8gaussians", "gp", 10.0, None, 5, 3, 0, 16, 2, 64, 1e-3))


# --- training and the cache -----------------------------------------------------------------


def test_train_toy_returns_the_cached_object_without_training_again(tiny_result):
    setting = tiny_result.setting
    assert setting in widgets.cached_toy_settings()
    calls = []
    start = time.perf_counter()
    again = widgets.train_toy(
        setting, on_step=lambda done, total: calls.append(done), progress=False
    )
    assert again is tiny_result
    assert calls == []  # no training step ran
    assert time.perf_counter() - start < 0.1


def test_train_toy_reports_progress_and_records_every_step():
    calls = []
    setting = widgets.toy_setting(seed=1, **TINY)
    result = widgets.train_toy(
        setting, on_step=lambda done, total: calls.append((done, total)), progress=False
    )
    assert calls[-1] == (TINY["steps"], TINY["steps"])
    assert list(result.history["step"]) == [1, 2, 3]
    assert result.real.shape == result.fake.shape == (widgets.TOY_POINTS, 2)
    assert result.norms.shape == (widgets.TOY_POINTS,)
    assert result.critic_values.shape == (result.axis.size, result.axis.size)


def test_a_large_lambda_brings_the_gradient_norms_at_interpolates_to_one():
    # Gulrajani et al. 2017, Eq. 3: lambda > 0 pulls ||grad f(x_hat)|| towards 1; without the
    # penalty (lambda = 0) nothing bounds the critic's slope and it grows while it trains.
    common = dict(steps=40, n_critic=5, hidden=32, depth=2, batch_size=128)
    free = widgets.train_toy(widgets.toy_setting(gp_weight=0.0, **common), progress=False)
    penalised = widgets.train_toy(widgets.toy_setting(gp_weight=10.0, **common), progress=False)
    off_free = np.median(np.abs(np.log(free.norms)))
    off_penalised = np.median(np.abs(np.log(penalised.norms)))
    assert off_penalised < 0.2  # median norm within a factor exp(0.2) = 1.22 of 1
    assert np.median(free.norms) > 2.0  # the unconstrained critic's slope has grown past 1
    assert off_free > 3 * off_penalised


# --- the critic on a grid and its gradient norms ----------------------------------------------


def test_critic_contour_holds_the_critic_value_at_each_grid_point():
    critic = _linear_critic(2.0, -3.0, 0.5)
    axis, values = widgets.critic_contour(critic, limit=2.0, resolution=5)
    np.testing.assert_allclose(axis, [-2.0, -1.0, 0.0, 1.0, 2.0])
    # values[i, j] = f(axis[j], axis[i]) = 2 axis[j] - 3 axis[i] + 0.5
    expected = 2.0 * axis[None, :] - 3.0 * axis[:, None] + 0.5
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "arguments, name", [(dict(limit=0.0), "limit"), (dict(resolution=1), "resolution")]
)
def test_critic_contour_rejects_bad_grids(arguments, name):
    with pytest.raises(ValueError, match=name):
        widgets.critic_contour(_linear_critic(1.0, 1.0, 0.0), **arguments)


def test_gradient_norm_of_a_linear_critic_is_its_weight_norm_everywhere():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(50, 2)), rng.normal(size=(50, 2)) + 3.0
    norms = widgets.gradient_norms_at_interpolates(_linear_critic(3.0, 4.0, 1.0), real, fake)
    np.testing.assert_allclose(norms, 5.0, rtol=1e-5)  # |grad (3 x1 + 4 x2 + 1)| = 5


def test_gradient_norms_are_taken_at_per_sample_interpolates():
    # f(x) = |x|^2 has gradient 2x, so the norm at x_hat is 2 |x_hat|, with
    # x_hat = eps x + (1 - eps) x~ and one eps ~ U[0, 1] per sample (Algorithm 1, line 6).
    critic = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Lambda(lambda x: keras.ops.sum(x * x, axis=1, keepdims=True)),
        ]
    )
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(30, 2)), rng.normal(size=(30, 2))
    norms = widgets.gradient_norms_at_interpolates(critic, real, fake, seed=7)
    eps = np.random.default_rng(7).random(30)[:, None]
    expected = 2.0 * np.linalg.norm(eps * real + (1.0 - eps) * fake, axis=1)
    np.testing.assert_allclose(norms, expected, rtol=1e-5)


def test_gradient_norms_reject_mismatched_samples():
    with pytest.raises(ValueError, match="real and fake"):
        widgets.gradient_norms_at_interpolates(
            _linear_critic(1.0, 0.0, 0.0), np.zeros((4, 2)), np.zeros((5, 2))
        )


# --- figures and the toy explorer ----------------------------------------------------------


def test_toy_figure_draws_three_labelled_panels_and_a_colour_bar(tiny_result):
    figure = widgets.toy_figure(tiny_result)
    critic_axes, norm_axes, w_axes, colour_bar = figure.axes
    assert norm_axes.get_xscale() == "log"
    for axes in (critic_axes, norm_axes, w_axes):
        assert axes.get_xlabel() and axes.get_ylabel() and axes.get_title()
    assert "λ = 10" in figure.get_suptitle()
    plt.close(figure)


def test_toy_explorer_trains_on_a_slider_change_and_serves_cached_settings_again():
    import ipywidgets

    box = widgets.toy_explorer(gp_weight=10.0, steps=widgets.toy_steps_choices()[0])
    sliders = [w for w in _descendants(box) if isinstance(w, ipywidgets.SelectionSlider)]
    lambda_slider = next(w for w in sliders if "λ" in w.description)
    assert [value for _, value in lambda_slider.options] == list(widgets.TOY_GP_WEIGHTS)
    assert all(not w.continuous_update for w in sliders)
    status = next(w for w in _descendants(box) if isinstance(w, ipywidgets.HTML))
    bar = next(w for w in _descendants(box) if isinstance(w, ipywidgets.IntProgress))
    lambda_slider.value = 30.0
    assert status.value.startswith("trained") and bar.value == bar.max
    lambda_slider.value = 10.0
    assert status.value.startswith("cached")
    clip_slider = next(w for w in sliders if w.description.startswith("c "))
    assert clip_slider.disabled and not lambda_slider.disabled  # gp ignores c


def test_toy_explorer_rejects_a_first_value_that_is_not_on_its_slider():
    with pytest.raises(ValueError, match="gp_weight"):
        widgets.toy_explorer(gp_weight=0.5)
    with pytest.raises(ValueError, match="n_critic"):
        widgets.toy_explorer(n_critic=11)


def _descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


# --- the shipped MNIST sweep ----------------------------------------------------------------


def test_shipped_sweep_covers_the_whole_grid_with_curves_and_samples():
    sweep = widgets.load_sweep()
    assert sweep["gp_weights"] == list(widgets.SWEEP_GP_WEIGHTS)
    assert sweep["n_critics"] == list(widgets.SWEEP_N_CRITICS)
    assert sweep["command"].startswith("wgan-tutorial sweep ")
    for gp_weight in widgets.SWEEP_GP_WEIGHTS:
        for n_critic in widgets.SWEEP_N_CRITICS:
            cell = widgets.sweep_cell(gp_weight, n_critic, sweep)
            assert cell.steps >= 1 and cell.curves["step"][-1] == cell.steps
            assert cell.curves["w_estimate"].shape == cell.curves["step"].shape
            assert cell.curves["step"].size <= widgets.SWEEP_CURVE_POINTS + 1
            assert cell.samples.ndim == 2 and cell.samples.std() > 0.05  # a grid, not blank
    folder = widgets.sweep_dir()
    assert (folder / "README.md").is_file()
    assert sum(path.stat().st_size for path in folder.iterdir()) < 2_000_000


@pytest.mark.parametrize(
    "gp_weight, n_critic, name",
    [(3.0, 5, "gp_weight"), (10.0, 3, "n_critic"), ("10", 5, "gp_weight")],
)
def test_sweep_cell_rejects_values_off_the_grid(gp_weight, n_critic, name):
    with pytest.raises(ValueError, match=name):
        widgets.sweep_cell(gp_weight, n_critic)


def test_load_sweep_rejects_a_sweep_with_a_missing_cell(tmp_path):
    sweep = json.loads((widgets.sweep_dir() / widgets.SWEEP_FILE).read_text())
    sweep["cells"] = sweep["cells"][1:]
    (tmp_path / widgets.SWEEP_FILE).write_text(json.dumps(sweep))
    with pytest.raises(ValueError, match="missing"):
        widgets.load_sweep(tmp_path)
    with pytest.raises(ValueError, match="missing or unreadable"):
        widgets.load_sweep(tmp_path / "nowhere")


def test_sweep_figure_shares_axes_limits_and_the_mnist_explorer_offers_the_grid():
    import ipywidgets

    sweep = widgets.load_sweep()
    figure = widgets.sweep_figure(widgets.sweep_cell(10.0, 5, sweep), sweep)
    other = widgets.sweep_figure(widgets.sweep_cell(0.1, 1, sweep), sweep)
    assert figure.axes[2].get_ylim() == other.axes[2].get_ylim()  # gradient-norm panel
    plt.close("all")
    box = widgets.mnist_explorer(sweep)
    sliders = [w for w in _descendants(box) if isinstance(w, ipywidgets.SelectionSlider)]
    assert [[value for _, value in s.options] for s in sliders] == [
        sweep["gp_weights"],
        sweep["n_critics"],
    ]


# --- the `wgan-tutorial sweep` command ------------------------------------------------------


def test_sweep_command_writes_a_sweep_that_load_sweep_reads(tmp_path, capsys):
    out = tmp_path / "sweep"
    status = cli.main(
        [
            "sweep",
            "--gp-weights",
            "0,10",
            "--n-critics",
            "1,2",
            "--steps",
            "2",
            "--width",
            "2",
            "--fid-points",
            "0",
            "--no-progress",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert printed.startswith("$ wgan-tutorial sweep --gp-weights 0,10 --n-critics 1,2")
    assert "[4/4] λ = 10, n_critic = 2: 2 steps" in printed
    sweep = widgets.load_sweep(out)
    assert sweep["settings"]["width"] == 2 and sweep["settings"]["fid_samples"] is None
    cell = widgets.sweep_cell(0.0, 2, sweep)
    assert cell.steps == 2 and cell.fid_values.size == 0
    assert np.all(np.isfinite(cell.curves["gp_grad_norm"]))


@pytest.mark.skipif(not widgets.fid_available(), reason="no classifier weights for FID")
def test_sweep_records_fid_at_the_requested_steps(tmp_path):
    sweep = widgets.run_sweep(
        tmp_path,
        gp_weights=[10.0],
        n_critics=[1],
        steps=4,
        width=2,
        fid_points=2,
        fid_samples=20,
        progress=False,
        log=lambda line: None,
    )
    fid = sweep["cells"][0]["fid"]
    assert fid["step"] == [2, 4]
    assert all(value is not None and math.isfinite(value) for value in fid["value"])


@pytest.mark.parametrize(
    "arguments, option",
    [
        (["--gp-weights", "0,-1"], "--gp-weights"),
        (["--gp-weights", "1,1"], "--gp-weights"),
        (["--n-critics", "0,5"], "--n-critics"),
        (["--steps", "0"], "--steps"),
    ],
)
def test_sweep_command_rejects_bad_values_in_one_line_with_exit_2(
    arguments, option, capsys, tmp_path
):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["sweep", *arguments, "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and option in error


def test_sweep_command_rejects_an_average_decay_of_one_in_one_line(tmp_path, capsys):
    assert cli.main(["sweep", "--ema", "1", "--steps", "1", "--out", str(tmp_path)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "ema must be a number in [0, 1)" in error


def test_sweep_command_refuses_a_file_as_its_output_folder(tmp_path, capsys):
    file = tmp_path / "taken"
    file.write_text("")
    assert cli.main(["sweep", "--steps", "1", "--out", str(file)]) == 2
    assert "must be a folder" in capsys.readouterr().err


def test_sweep_bounded_by_time_alone_thins_its_curves_and_scores_at_the_end(tmp_path, monkeypatch):
    monkeypatch.setattr(sweep_module, "SWEEP_CURVE_POINTS", 3)  # read where run_sweep runs
    trained = []
    train = training.train
    monkeypatch.setattr(training, "train", lambda **kw: trained.append(kw) or train(**kw))
    sweep = widgets.run_sweep(
        tmp_path,
        gp_weights=[10.0],
        n_critics=[1],
        max_seconds=2.0,
        width=2,
        fid_points=3,
        fid_samples=20,
        progress=False,
        log=lambda line: None,
    )
    assert "--steps" not in sweep["command"] and "--max-seconds 2" in sweep["command"]
    assert sweep["settings"]["ema"] == training.default_config("gp", "mnist")["ema"]
    # one rate for critic and generator, as in the paper, whatever train's default
    assert sweep["settings"]["critic_lr_scale"] == 1.0
    assert [kw["critic_lr_scale"] for kw in trained] == [1.0]
    # the generator the shipped sweep was trained with (no batch norm), whatever train's default
    assert sweep["settings"]["generator_norm"] == "none"
    assert [kw["generator_norm"] for kw in trained] == ["none"]
    assert sweep["settings"]["learning_rate"] == widgets.SWEEP_LEARNING_RATE == 1e-3
    raw = sweep["cells"][0]
    steps = raw["steps"]
    assert steps >= 1
    cell = widgets.sweep_cell(10.0, 1, widgets.load_sweep(tmp_path))
    # every k-th step, k = ceil(steps / 3), and always the last one
    stride = -(-steps // 3)
    expected = sorted(set(range(1, steps + 1, stride)) | {steps})
    assert cell.curves["step"].tolist() == expected
    assert cell.curves["w_estimate"].shape == cell.curves["step"].shape
    if widgets.fid_available():
        assert cell.fid_steps.tolist() == [steps]
