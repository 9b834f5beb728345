"""Figures of notebook 01: KL, JS, TV and the Earth-Mover distance between distributions.

The four distances against a shift of the means (with the slopes a generator would follow),
the parallel-lines example, KL's asymmetry, the optimal 1-D critic, a transport plan between
point clouds, and the view behind the Gaussian-pair sliders. The numbers come from
`wgan_tutorial.divergences`; Arjovsky et al. 2017 (arXiv 1701.07875), Section 2.

Each function returns the matplotlib Figure and never calls `plt.show()`.

Taught in notebooks/01_divergences_and_em_distance.ipynb.
"""

import matplotlib.pyplot as plt
import numpy as np

_DISTANCE_STYLE = {
    "kl": dict(color="tab:red", label="KL(P‖Q)"),
    "js": dict(color="tab:blue", label="JS(P, Q)"),
    "tv": dict(color="tab:green", label="TV(P, Q)"),
    "w1": dict(color="black", label="W1(P, Q)"),
}


def normal_pdf(x, mu, s):
    """The density of N(mu, s^2) at x (array or float), s > 0; numpy only, elementwise."""
    return np.exp(-0.5 * ((x - mu) / s) ** 2) / (s * np.sqrt(2.0 * np.pi))


def _gaussian_grid(mu1, s1, mu2, s2, num=801):
    """`num` points covering both N(mu1, s1^2) and N(mu2, s2^2) to 4 standard deviations."""
    low = min(mu1 - 4.0 * s1, mu2 - 4.0 * s2)
    high = max(mu1 + 4.0 * s1, mu2 + 4.0 * s2)
    return np.linspace(low, high, num)


def plot_distances_vs_shift(shifts=None, s1=1.0, s2=1.0):
    """KL, JS, TV and W1 between P = N(shift, s1^2) and Q = N(0, s2^2) against the shift.

    Left: the values (JS saturates at log 2, TV at 1, W1 grows linearly). Right: their
    slopes with respect to the shift, the gradient a generator would receive (Arjovsky et
    al. 2017, arXiv 1701.07875, Section 2): JS's and TV's vanish once the densities stop
    overlapping; W1's stays at 1.

    Args:
        shifts: 1-D increasing array of mean differences >= 0 (default 0 to 8, 161 points).
        s1, s2: standard deviations of P and Q, floats > 0.

    Returns:
        matplotlib Figure with two axes.

    Raises:
        ValueError: a standard deviation is not > 0, or shifts is not a 1-D array of >= 2
            finite values.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    from wgan_tutorial import divergences

    shifts = np.linspace(0.0, 8.0, 161) if shifts is None else np.asarray(shifts, dtype=float)
    if shifts.ndim != 1 or shifts.size < 2 or not np.all(np.isfinite(shifts)):
        raise ValueError(
            f"shifts must be a 1-D array of >= 2 finite values, got shape {shifts.shape}"
        )
    values = divergences.gaussian_distances(shifts, s1, 0.0, s2)
    fig, (ax_value, ax_slope) = plt.subplots(1, 2, figsize=(11, 4))
    for name in ("kl", "js", "tv", "w1"):
        ax_value.plot(shifts, getattr(values, name), lw=2, **_DISTANCE_STYLE[name])
        if name != "kl":
            slope = np.gradient(getattr(values, name), shifts)
            ax_slope.plot(shifts, slope, lw=2, **_DISTANCE_STYLE[name])
    ax_value.axhline(np.log(2.0), color="tab:blue", ls=":", lw=1)
    ax_value.text(shifts[-1], np.log(2.0), "log 2 ", color="tab:blue", ha="right", va="bottom")
    ax_value.axhline(1.0, color="tab:green", ls=":", lw=1)
    ax_value.set_ylim(0.0, 1.05 * max(float(np.max(values.w1)), 1.0))
    ax_value.set_xlabel("shift of the means μ1 − μ2")
    ax_value.set_ylabel("distance (nats; W1 in units of x)")
    ax_value.set_title(f"P = N(shift, {s1:g}²), Q = N(0, {s2:g}²)")
    ax_value.legend(loc="upper left")
    ax_slope.axhline(0.0, color="gray", lw=0.8)
    ax_slope.set_xlabel("shift of the means μ1 − μ2")
    ax_slope.set_ylabel("slope d distance / d shift")
    ax_slope.set_title("The gradient a generator would get")
    ax_slope.legend(loc="center right")
    fig.tight_layout()
    return fig


def plot_parallel_lines(theta=0.5, thetas=None):
    """The parallel-lines example (Arjovsky et al. 2017, arXiv 1701.07875, Example 1).

    Left: P0 (the segment x = 0, 0 <= y <= 1) and P_theta (the segment x = theta). Right:
    W1, JS and TV against theta (KL is +inf for every theta != 0); at theta = 0 all are 0,
    so JS and TV jump there while W1 = |theta| is continuous.

    Args:
        theta: the offset drawn on the left, finite float.
        thetas: 1-D array of offsets for the right panel (default -1 to 1, 201 points).

    Returns:
        matplotlib Figure with two axes.

    Raises:
        ValueError: theta or thetas is not finite.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    from wgan_tutorial import divergences

    theta = float(divergences.check_finite("theta", theta))
    if thetas is None:
        thetas = np.linspace(-1.0, 1.0, 201)
    thetas = divergences.check_finite("thetas", thetas)
    fig, (ax_lines, ax_values) = plt.subplots(
        1, 2, figsize=(11, 4), gridspec_kw=dict(width_ratios=[1, 1.6])
    )
    z = np.linspace(0.0, 1.0, 11)
    ax_lines.plot(np.zeros_like(z), z, "o-", color="tab:blue", label="P0 = (0, Z)")
    ax_lines.plot(
        np.full_like(z, theta), z, "s-", color="tab:orange", label=f"Pθ = (θ, Z), θ = {theta:g}"
    )
    for height in z[::2]:
        arrow = dict(arrowstyle="->", color="gray", lw=0.8)
        ax_lines.annotate("", xy=(theta, height), xytext=(0.0, height), arrowprops=arrow)
    ax_lines.set_xlim(min(0.0, theta) - 0.5, max(0.0, theta) + 0.5)
    ax_lines.set_ylim(-0.1, 1.35)
    ax_lines.set_xlabel("first coordinate")
    ax_lines.set_ylabel("second coordinate (Z ~ U[0, 1])")
    ax_lines.set_title("Each point moves by |θ|: W1 = |θ|")
    ax_lines.legend(loc="upper center", fontsize="small")

    values = divergences.parallel_lines(thetas)
    nonzero = thetas != 0
    ax_values.plot(thetas, values.w1, lw=2, **_DISTANCE_STYLE["w1"])
    for name in ("js", "tv"):
        curve = np.where(nonzero, getattr(values, name), np.nan)  # break the line at theta = 0
        ax_values.plot(thetas, curve, lw=2, **_DISTANCE_STYLE[name])
        ax_values.plot([0.0], [0.0], "o", color=_DISTANCE_STYLE[name]["color"], ms=6)
        value_apart = getattr(divergences.parallel_lines(1.0), name)  # the value for theta != 0
        color = _DISTANCE_STYLE[name]["color"]
        ax_values.plot([0.0], [value_apart], "o", mfc="white", color=color, ms=6)
    ax_values.text(
        0.02,
        0.97,
        "KL(P0‖Pθ) = +∞ for every θ ≠ 0",
        transform=ax_values.transAxes,
        va="top",
        color=_DISTANCE_STYLE["kl"]["color"],
    )
    ax_values.set_xlabel("θ (offset of the second line)")
    ax_values.set_ylabel("distance (nats; W1 in units of θ)")
    ax_values.set_title("Only W1 is continuous in θ")
    ax_values.set_ylim(-0.05, 1.2)
    ax_values.legend(loc="lower right")
    fig.tight_layout()
    return fig


def plot_kl_asymmetry(mu1=0.0, s1=1.0, mu2=0.0, s2=2.0):
    """The two directions of KL between P = N(mu1, s1^2) and Q = N(mu2, s2^2), pointwise.

    Left: the densities. Right: the integrands p log(p/q) and q log(q/p), whose areas are
    KL(P‖Q) and KL(Q‖P) (Arjovsky et al. 2017, arXiv 1701.07875, Section 2).

    Args:
        mu1, mu2: means, finite floats.
        s1, s2: standard deviations, floats > 0.

    Returns:
        matplotlib Figure with two axes.

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    from wgan_tutorial import divergences

    forward = divergences.kl_gaussian(mu1, s1, mu2, s2)
    backward = divergences.kl_gaussian(mu2, s2, mu1, s1)
    x = _gaussian_grid(mu1, s1, mu2, s2)
    p, q = normal_pdf(x, mu1, s1), normal_pdf(x, mu2, s2)
    # log(p / q) of the two normal densities
    log_ratio = np.log(s2 / s1) - 0.5 * ((x - mu1) / s1) ** 2 + 0.5 * ((x - mu2) / s2) ** 2
    fig, (ax_density, ax_integrand) = plt.subplots(1, 2, figsize=(11, 4))
    ax_density.plot(x, p, color="tab:blue", lw=2, label=f"p: N({mu1:g}, {s1:g}²)")
    ax_density.plot(x, q, color="tab:orange", lw=2, label=f"q: N({mu2:g}, {s2:g}²)")
    ax_density.set_xlabel("x")
    ax_density.set_ylabel("density")
    ax_density.set_title("The two distributions")
    ax_density.legend()
    forward_label = f"p log(p/q): area KL(P‖Q) = {forward:.3f}"
    backward_label = f"q log(q/p): area KL(Q‖P) = {backward:.3f}"
    ax_integrand.plot(x, p * log_ratio, color="tab:blue", lw=2, label=forward_label)
    ax_integrand.plot(x, -q * log_ratio, color="tab:orange", lw=2, label=backward_label)
    ax_integrand.axhline(0.0, color="gray", lw=0.8)
    ax_integrand.set_xlabel("x")
    ax_integrand.set_ylabel("integrand (nats per unit of x)")
    ax_integrand.set_title("KL is not symmetric")
    ax_integrand.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_optimal_critic_1d(mu1=2.0, s1=1.0, mu2=0.0, s2=1.0):
    """The densities of P = N(mu1, s1^2), Q = N(mu2, s2^2) and the optimal 1-Lipschitz critic.

    The critic f maximises E_P f - E_Q f among 1-Lipschitz functions, and the maximum is W1
    (Kantorovich-Rubinstein, Arjovsky et al. 2017, arXiv 1701.07875, Eq. 2); see
    `divergences.optimal_critic_1d`.

    Args:
        mu1, mu2: means, finite floats.
        s1, s2: standard deviations, floats > 0.

    Returns:
        matplotlib Figure (densities on the left y-axis, the critic on the right one).

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    from wgan_tutorial import divergences

    distance = divergences.w1_gaussian(mu1, s1, mu2, s2)
    x = _gaussian_grid(mu1, s1, mu2, s2)
    critic = divergences.optimal_critic_1d(x, mu1, s1, mu2, s2)
    fig, ax_density = plt.subplots(figsize=(8, 4))
    for mu, s, color, name in ((mu1, s1, "tab:blue", "P"), (mu2, s2, "tab:orange", "Q")):
        label = f"{name} = N({mu:g}, {s:g}²)"
        ax_density.fill_between(x, normal_pdf(x, mu, s), color=color, alpha=0.3, label=label)
    ax_density.set_xlabel("x")
    ax_density.set_ylabel("density")
    ax_critic = ax_density.twinx()
    ax_critic.plot(x, critic, color="black", lw=2, label="optimal critic f (slope ±1)")
    ax_critic.set_ylabel("critic value f(x) (units of x)")
    handles = ax_density.get_legend_handles_labels()
    critic_handles = ax_critic.get_legend_handles_labels()
    ax_density.legend(
        handles[0] + critic_handles[0],
        handles[1] + critic_handles[1],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=3,
        fontsize="small",
    )
    ax_density.set_title(f"E_P f − E_Q f = W1 = {distance:.4f}")
    fig.tight_layout()
    return fig


def plot_transport_plan(x, y, plan, threshold=1e-9):
    """Two 2-D point clouds and an optimal transport plan between them, one line per move.

    Args:
        x: array (n, 2), the first cloud (drawn as blue dots).
        y: array (m, 2), the second cloud (orange squares).
        plan: array (n, m) >= 0 summing to 1, e.g. from
            `divergences.w1_point_clouds(x, y, return_plan=True)`; a line's opacity is its
            mass relative to the largest entry.
        threshold: entries <= threshold are not drawn.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: the shapes do not match (n, 2), (m, 2), (n, m).

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    x, y, plan = (np.asarray(array, dtype=float) for array in (x, y, plan))
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != 2 or y.shape[1] != 2:
        raise ValueError(f"x and y must have shapes (n, 2) and (m, 2), got {x.shape} and {y.shape}")
    if plan.shape != (x.shape[0], y.shape[0]):
        raise ValueError(f"plan must have shape {(x.shape[0], y.shape[0])}, got {plan.shape}")
    fig, ax = plt.subplots(figsize=(6, 5))
    largest = float(plan.max()) if plan.size else 1.0
    for i, j in zip(*np.nonzero(plan > threshold), strict=True):
        opacity = float(np.clip(0.2 + 0.8 * plan[i, j] / largest, 0.0, 1.0))
        ax.plot([x[i, 0], y[j, 0]], [x[i, 1], y[j, 1]], color="gray", lw=1, alpha=opacity)
    ax.scatter(x[:, 0], x[:, 1], color="tab:blue", s=25, zorder=3, label=f"x ({len(x)} points)")
    ax.scatter(
        y[:, 0],
        y[:, 1],
        color="tab:orange",
        marker="s",
        s=25,
        zorder=3,
        label=f"y ({len(y)} points)",
    )
    ax.set_xlabel("first coordinate")
    ax.set_ylabel("second coordinate")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title("Optimal transport plan (lines: mass moved)")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return fig


def show_gaussian_pair(mu1=0.0, s1=1.0, mu2=2.0, s2=1.0):
    """Draw N(mu1, s1^2) and N(mu2, s2^2) and print KL (both ways), JS, TV and W1.

    The view behind the sliders of notebook 01 (`ipywidgets.interactive` calls it with the
    slider values).

    Args:
        mu1, mu2: means, finite floats.
        s1, s2: standard deviations, floats > 0.

    Returns:
        (Distances(kl, js, tv, w1), matplotlib Figure); kl is KL(P‖Q).

    Raises:
        ValueError: a mean is not finite, or a standard deviation is not > 0.

    Taught in notebooks/01_divergences_and_em_distance.ipynb.
    """
    from wgan_tutorial import divergences

    values = divergences.gaussian_distances(mu1, s1, mu2, s2)
    backward = divergences.kl_gaussian(mu2, s2, mu1, s1)
    x = np.linspace(-10.0, 10.0, 801)
    x = np.union1d(x, _gaussian_grid(mu1, s1, mu2, s2))
    p, q = normal_pdf(x, mu1, s1), normal_pdf(x, mu2, s2)
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot(x, p, color="tab:blue", lw=2, label=f"P = N({mu1:.2f}, {s1:.2f}²)")
    ax.plot(x, q, color="tab:orange", lw=2, label=f"Q = N({mu2:.2f}, {s2:.2f}²)")
    overlap_label = f"overlap (area 1 − TV = {1 - values.tv:.3f})"
    ax.fill_between(x, np.minimum(p, q), color="gray", alpha=0.3, label=overlap_label)
    ax.set_xlim(-10.0, 10.0)
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.set_title(
        f"KL(P‖Q) = {values.kl:.3f}   JS = {values.js:.3f}   "
        f"TV = {values.tv:.3f}   W1 = {values.w1:.3f}"
    )
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    print(f"KL(P‖Q) = {values.kl:.6f}   KL(Q‖P) = {backward:.6f}")
    print(f"JS(P, Q) = {values.js:.6f}   (at most log 2 = {np.log(2.0):.6f})")
    print(f"TV(P, Q) = {values.tv:.6f}   (at most 1)")
    print(f"W1(P, Q) = {values.w1:.6f}")
    return values, fig
