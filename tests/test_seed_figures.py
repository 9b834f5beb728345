"""The figures of the seed records (wgan_tutorial.course.figures.seeds) draw what they say.

A small synthetic record (two arms, three and two seeds, three checkpoints each) is drawn; the
test counts the lines and points on the axes and checks the bold mean line against numpy's
mean of the seeds, and the interval bar against the record's own summary. No TensorFlow.
"""

import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from scipy import stats

from wgan_tutorial import config
from wgan_tutorial.course.figures import seeds

STEPS = (1000, 2000, 3000)
FIDS = {  # arm -> seed -> FID at each checkpoint
    "slow": {"0": (190.0, 90.0, 60.0), "1": (180.0, 80.0, 58.0), "2": (200.0, 100.0, 65.0)},
    "fast": {"0": (95.0, 55.0, 44.0), "3": (90.0, 60.0, 46.0)},
}
SECONDS = {"0": (40.0, 80.0, 120.0), "1": (50.0, 100.0, 150.0), "2": (30.0, 70.0, 100.0)}
SECONDS["3"] = SECONDS["1"]


def _record():
    arms = {}
    for name, runs in FIDS.items():
        finals = [fids[-1] for fids in runs.values()]
        arms[name] = {
            "seeds": {
                seed: {
                    "fid": fids[-1],
                    "checkpoints": [
                        {"step": step, "seconds": seconds, "fid": fid}
                        for step, seconds, fid in zip(STEPS, SECONDS[seed], fids, strict=True)
                    ],
                }
                for seed, fids in runs.items()
            },
            "summary": {
                "n": len(finals),
                "mean": float(np.mean(finals)),
                "interval95": [float(np.mean(finals)) - 5.0, float(np.mean(finals)) + 7.0],
            },
        }
    return {
        "experiment": "synthetic",
        "question": "slow against fast, step for step (notebook 03, section 3)",
        "arms": arms,
    }


def _bar_ends(ax):
    """(bottom, top) of every error bar drawn on `ax`, sorted."""
    return sorted(
        (segment[0][1], segment[1][1])
        for collection in ax.collections
        if hasattr(collection, "get_segments")
        for segment in collection.get_segments()
    )


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_curves_draw_one_faint_line_per_seed_and_one_mean_per_arm():
    fig = seeds.plot_seed_curves(_record())
    ax = fig.axes[0]
    seed_count = sum(len(runs) for runs in FIDS.values())
    assert len(ax.lines) == seed_count + len(FIDS)
    bold = [line for line in ax.lines if line.get_linewidth() > 2]
    assert len(bold) == len(FIDS)
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "slow: mean of 3 seeds",
        "fast: mean of 2 seeds",
    ]
    assert "notebook" not in ax.get_title() and ax.get_title().startswith("synthetic:")
    assert ax.get_yscale() == "log"
    titled = seeds.plot_seed_curves(_record(), title="against seconds").axes[0]
    assert titled.get_title() == "against seconds"


@pytest.mark.parametrize("x", ["step", "seconds"])
def test_the_mean_line_is_numpys_mean_over_the_seeds(x):
    fig = seeds.plot_seed_curves(_record(), x=x)
    bold = [line for line in fig.axes[0].lines if line.get_linewidth() > 2]
    for line, runs in zip(bold, FIDS.values(), strict=True):
        np.testing.assert_allclose(line.get_ydata(), np.mean(list(runs.values()), axis=0))
        expected_x = STEPS if x == "step" else np.mean([SECONDS[s] for s in runs], axis=0)
        np.testing.assert_allclose(line.get_xdata(), expected_x)


def test_finals_draw_every_seed_and_the_summarys_interval():
    record = _record()
    fig = seeds.plot_final_fids(record)
    ax = fig.axes[0]
    scattered = np.concatenate(
        [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
    )
    finals = [fids[-1] for runs in FIDS.values() for fids in runs.values()]
    assert sorted(scattered[:, 1]) == sorted(finals)
    for index, arm in enumerate(record["arms"].values()):
        summary = arm["summary"]
        mean_marker = [
            line
            for line in ax.lines
            if line.get_marker() == "s" and np.isclose(line.get_xdata()[0], index + 0.3)
        ]
        assert len(mean_marker) == 1
        assert mean_marker[0].get_ydata()[0] == pytest.approx(summary["mean"])
    bars = _bar_ends(ax)
    expected = sorted(tuple(arm["summary"]["interval95"]) for arm in record["arms"].values())
    np.testing.assert_allclose(bars, expected)


def test_the_two_panel_figure_holds_both():
    fig = seeds.plot_seed_record(_record())
    assert len(fig.axes) == 2
    assert fig.axes[0].get_xlabel() == "generator step"
    assert [tick.get_text() for tick in fig.axes[1].get_xticklabels()] == ["slow", "fast"]


def test_seeds_with_different_checkpoints_are_refused():
    record = _record()
    record["arms"]["slow"]["seeds"]["1"]["checkpoints"].pop()
    with pytest.raises(ValueError, match="checkpoint steps differ"):
        seeds.plot_seed_curves(record)


def test_an_arm_with_no_seed_yet_is_left_out_and_one_seed_has_no_interval():
    record = _record()
    record["arms"]["empty"] = {"seeds": {}, "summary": None}
    record["arms"]["fast"]["seeds"].pop("3")
    record["arms"]["fast"]["summary"] = {"n": 1, "mean": 44.0, "interval95": None}
    curves = seeds.plot_seed_curves(record).axes[0]
    assert len(curves.lines) == 3 + 1 + 1 + 1  # slow: 3 seeds and a mean; fast: 1 and a mean
    finals = seeds.plot_final_fids(record).axes[0]
    dots = [c.get_offsets() for c in finals.collections if isinstance(c, PathCollection)]
    assert sum(len(d) for d in dots) == 4
    assert len([line for line in finals.lines if line.get_marker() == "s"]) == 1


def test_an_unknown_axis_is_refused():
    with pytest.raises(ValueError, match="x must be one of"):
        seeds.seed_curves(_record()["arms"]["slow"], x="minutes")


def test_the_shipped_records_can_be_drawn():
    records = sorted((config.assets_dir() / "seeds").glob("*.json"))
    if not records:
        pytest.skip("no seed record shipped yet")
    for path in records:
        fig = seeds.plot_seed_record(json.loads(path.read_text()))
        assert len(fig.axes) == 2
        plt.close(fig)


def _sweep_record():
    """Two settings x two groups; cell (10, 5) has one seed, cell (100, 5) none yet."""
    finals = {
        (0.0, 1.0): [900.0, 1100.0, 1000.0],
        (10.0, 1.0): [50.0, 60.0, 55.0],
        (100.0, 1.0): [80.0, 70.0, 75.0],
        (0.0, 5.0): [2000.0, 2400.0],
        (10.0, 5.0): [120.0],
        (100.0, 5.0): [],
    }
    arms = {}
    for (lam, n), fids in finals.items():
        mean = float(np.mean(fids)) if fids else None
        arms[f"lambda {lam:g}, n_critic {n:g}"] = {
            "options": f"--loss gp --gp-weight {lam:g} --n-critic {n:g}".split(),
            "seeds": {str(seed): {"fid": fid} for seed, fid in enumerate(fids)},
            "summary": {
                "n": len(fids),
                "mean": mean,
                "interval95": [mean * 0.8, mean * 1.3] if len(fids) > 1 else None,
            },
        }
    return {
        "experiment": "sweep",
        "question": "lambda x n_critic (notebook 05)",
        "arms": arms,
    }, finals


def test_the_sweep_spread_draws_every_seed_and_each_cells_mean_and_interval():
    record, finals = _sweep_record()
    ax = seeds.plot_sweep_spread(record, "--gp-weight", "--n-critic", x_label="λ").axes[0]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["0", "10", "100"]
    dots = np.concatenate(
        [c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)]
    )
    assert sorted(dots[:, 1]) == sorted(fid for fids in finals.values() for fid in fids)
    means = [line for line in ax.lines if line.get_linewidth() > 2]
    assert len(means) == 2  # one joined line of means per n_critic
    np.testing.assert_allclose(means[0].get_ydata(), [1000.0, 55.0, 75.0])
    np.testing.assert_allclose(means[1].get_ydata(), [2200.0, 120.0])
    # at the ticks 0, 1, 2, the two groups offset by -0.06 and +0.06
    np.testing.assert_allclose(means[0].get_xdata(), [-0.06, 0.94, 1.94])
    np.testing.assert_allclose(means[1].get_xdata(), [0.06, 1.06])
    expected = sorted((m * 0.8, m * 1.3) for m in (1000.0, 55.0, 75.0, 2200.0))
    np.testing.assert_allclose(_bar_ends(ax), expected)
    assert ax.get_xlabel() == "λ"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "--n-critic 1: mean",
        "--n-critic 5: mean",
    ]


def test_an_interval_below_zero_stops_at_half_the_lowest_fid_on_a_log_axis():
    # two seeds far apart: mean 300, Student-t interval 300 ± 12.71 * 200 reaches far below 0
    record = {
        "experiment": "spread",
        "question": "near against far",
        "arms": {
            "near": {"options": ["--gp-weight", "1", "--n-critic", "1"], "seeds": {}},
            "far": {"options": ["--gp-weight", "10", "--n-critic", "1"], "seeds": {}},
        },
    }
    for arm, fids in (("near", [40.0, 50.0, 60.0]), ("far", [100.0, 500.0])):
        mean = float(np.mean(fids))
        half = stats.t.ppf(0.975, len(fids) - 1) * np.std(fids, ddof=1) / np.sqrt(len(fids))
        record["arms"][arm]["seeds"] = {str(i): {"fid": fid} for i, fid in enumerate(fids)}
        record["arms"][arm]["summary"] = {
            "n": len(fids),
            "mean": mean,
            "interval95": [mean - half, mean + half],
        }
    assert record["arms"]["far"]["summary"]["interval95"][0] < 0
    finals_ax = seeds.plot_final_fids(record).axes[0]
    sweep_ax = seeds.plot_sweep_spread(record, "--gp-weight", "--n-critic").axes[0]
    for ax in (finals_ax, sweep_ax):
        assert ax.get_yscale() == "log"
        lowest_end = _bar_ends(ax)[0][0]
        assert lowest_end == pytest.approx(20.0)  # half the lowest FID drawn, 40
        assert 10.0 < ax.get_ylim()[0] < 40.0  # the axis still spans the seeds, not 1e-9
    far_low = record["arms"]["far"]["summary"]["interval95"][0]
    labels = [text.get_text() for text in finals_ax.texts]
    assert any(f"[{far_low:.1f}," in label for label in labels)  # the true bound is printed


def test_the_sweep_spread_names_a_missing_option():
    record, _ = _sweep_record()
    with pytest.raises(ValueError, match="--learning-rate is not among"):
        seeds.plot_sweep_spread(record, "--learning-rate", "--n-critic")
    record["arms"]["lambda 0, n_critic 1"]["options"] = ["--gp-weight", "ten", "--n-critic", "1"]
    with pytest.raises(ValueError, match="followed by 'ten'"):
        seeds.plot_sweep_spread(record, "--gp-weight", "--n-critic")


def _arm_with_estimates(pairs_per_seed):
    """An arm whose seeds' checkpoints carry (W estimate mean, FID) pairs."""
    return {
        "seeds": {
            str(seed): {
                "checkpoints": [
                    {"step": 100 * (i + 1), "w_estimate_mean_100": w, "fid": fid}
                    for i, (w, fid) in enumerate(pairs)
                ]
            }
            for seed, pairs in enumerate(pairs_per_seed)
        }
    }


def test_the_estimate_fid_correlation_is_spearmans_closed_form():
    # ranks of FID against ranks of W: d = (0, 1, 1, 0), rho = 1 - 6 * 2 / (4 * (16 - 1)) = 0.8
    arm = _arm_with_estimates([[(1.0, 10.0), (2.0, 30.0)], [(3.0, 20.0), (4.0, 40.0)]])
    assert seeds.estimate_fid_correlation(arm) == (pytest.approx(0.8), 4)
    rising = _arm_with_estimates([[(3.0, 300.0), (2.0, 90.0), (1.0, 60.0)]])
    assert seeds.estimate_fid_correlation(rising)[0] == pytest.approx(1.0)
    falling = _arm_with_estimates([[(3.0, 60.0), (2.0, 90.0), (1.0, 300.0)]])
    assert seeds.estimate_fid_correlation(falling)[0] == pytest.approx(-1.0)
    rho, points = seeds.estimate_fid_correlation(_arm_with_estimates([[(1.0, 5.0), (2.0, 6.0)]]))
    assert np.isnan(rho) and points == 2


def test_the_estimate_figure_draws_one_panel_per_arm_with_its_correlation():
    record = {
        "experiment": "losses",
        "question": "which loss follows the samples",
        "arms": {
            "tracks": _arm_with_estimates([[(3.0, 300.0), (2.0, 90.0), (1.0, 60.0)]] * 2),
            "does not": _arm_with_estimates([[(3.0, 60.0), (2.0, 90.0), (1.0, 300.0)]]),
            "not yet": {"seeds": {}},
        },
    }
    fig = seeds.plot_estimate_against_fid(record, columns=3)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in shown] == [
        "tracks: Spearman ρ = +1.00 (6 points)",
        "does not: Spearman ρ = -1.00 (3 points)",
    ]
    assert len(shown[0].lines) == 2 and len(shown[1].lines) == 1  # one line per seed
    np.testing.assert_allclose(shown[1].lines[0].get_xydata(), [[3, 60], [2, 90], [1, 300]])
