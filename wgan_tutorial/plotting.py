"""Figures of the course: each function draws one figure of a notebook and returns it.

Groups (by notebook):
- 01 divergences: the four distances against a shift of the means, the parallel-lines
  example, KL's asymmetry, the optimal 1-D critic, a transport plan between point clouds,
  and the view behind the Gaussian-pair sliders.

Functions return the matplotlib Figure and never call `plt.show()`: a notebook cell ends
with `plt.show()` (or `;`). No TensorFlow is imported here.
"""
import matplotlib.pyplot as plt
import numpy as np

# ---------------------------------------------------------------------------------------
# Notebook 01: divergences and the Earth-Mover distance.
# ---------------------------------------------------------------------------------------

_DISTANCE_STYLE = {
    "kl": dict(color="tab:red", label="KL(P‖Q)"),
    "js": dict(color="tab:blue", label="JS(P, Q)"),
    "tv": dict(color="tab:green", label="TV(P, Q)"),
    "w1": dict(color="black", label="W1(P, Q)"),
}


def _normal_pdf(x, mu, s):
    return np.exp(-0.5 * ((x - mu) / s) ** 2) / (s * np.sqrt(2.0 * np.pi))


def _gaussian_grid(mu1, s1, mu2, s2, num=801):
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

    theta = float(divergences._check_finite("theta", theta))
    if thetas is None:
        thetas = np.linspace(-1.0, 1.0, 201)
    thetas = divergences._check_finite("thetas", thetas)
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
    p, q = _normal_pdf(x, mu1, s1), _normal_pdf(x, mu2, s2)
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
        ax_density.fill_between(x, _normal_pdf(x, mu, s), color=color, alpha=0.3, label=label)
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
    for i, j in zip(*np.nonzero(plan > threshold)):
        opacity = float(np.clip(0.2 + 0.8 * plan[i, j] / largest, 0.0, 1.0))
        ax.plot([x[i, 0], y[j, 0]], [x[i, 1], y[j, 1]], color="gray", lw=1, alpha=opacity)
    ax.scatter(x[:, 0], x[:, 1], color="tab:blue", s=25, zorder=3, label=f"x ({len(x)} points)")
    ax.scatter(
        y[:, 0], y[:, 1], color="tab:orange", marker="s", s=25, zorder=3,
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
    p, q = _normal_pdf(x, mu1, s1), _normal_pdf(x, mu2, s2)
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


# ---------------------------------------------------------------------------------------
# Notebooks 02 and 03: generated samples and training curves.
# ---------------------------------------------------------------------------------------

def image_grid(images, ncols=None, padding=1):
    """Tile images into one 2-D array in [0, 1] (white gaps), row by row.

    Args:
        images: array (N, 28, 28[, 1]): uint8 in [0, 255] or floats in [-1, 1] (generator
            outputs; clipped).
        ncols: images per row (default ceil(sqrt(N))).
        padding: pixels between images, int >= 0.

    Returns:
        float array (rows * (28 + padding) - padding, ncols * (28 + padding) - padding).

    Raises:
        ValueError: wrong shape.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or images.shape[0] == 0:
        raise ValueError(f"images must have shape (N, H, W[, 1]) with N >= 1, got {images.shape}")
    if images.dtype == np.uint8:
        pixels = images.astype(np.float64) / 255.0
    else:
        pixels = (np.clip(images.astype(np.float64), -1.0, 1.0) + 1.0) / 2.0
    n, height, width = pixels.shape
    ncols = int(np.ceil(np.sqrt(n))) if ncols is None else int(ncols)
    nrows = int(np.ceil(n / ncols))
    grid = np.ones((nrows * (height + padding) - padding, ncols * (width + padding) - padding))
    for index in range(n):
        row, col = divmod(index, ncols)
        top, left = row * (height + padding), col * (width + padding)
        grid[top:top + height, left:left + width] = pixels[index]
    return grid


def plot_image_grid(images, ncols=None, title=None, ax=None):
    """Show images (generator outputs in [-1, 1] or uint8) as one grid, ink dark on white.

    Args:
        images, ncols: see `image_grid`.
        title: optional axes title.
        ax: matplotlib Axes to draw into (default a new figure).

    Returns:
        matplotlib Figure.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    grid = image_grid(images, ncols)
    if ax is None:
        size = min(8.0, 0.1 * max(grid.shape) + 1.0)
        fig, ax = plt.subplots(figsize=(size, size * grid.shape[0] / grid.shape[1]))
    else:
        fig = ax.figure
    ax.imshow(1.0 - grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def save_image_grid(images, path, ncols=None):
    """Write images as one grid PNG (pixel-exact, no figure), ink dark on white.

    Args:
        images, ncols: see `image_grid`.
        path: the PNG file to write.
    """
    plt.imsave(str(path), 1.0 - image_grid(images, ncols), cmap="gray", vmin=0.0, vmax=1.0)


def plot_toy_samples(real, fake, title=None, ax=None, limit=3.0):
    """Scatter generated 2-D points over real ones (the toy sets of notebook 05).

    Args:
        real: array (N, 2) of real points. fake: array (M, 2) of generated points.
        title: optional axes title. ax: Axes to draw into (default a new figure).
        limit: the axes show [-limit, limit]^2 (the official `gan_toy.py` uses 3).

    Returns:
        matplotlib Figure.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    real, fake = np.asarray(real), np.asarray(fake)
    for name, points in (("real", real), ("fake", fake)):
        if points.ndim != 2 or points.shape[1] != 2:
            raise ValueError(f"{name} must have shape (N, 2), got {points.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 5))
    else:
        fig = ax.figure
    ax.scatter(real[:, 0], real[:, 1], s=4, color="tab:orange", alpha=0.5, label="real")
    ax.scatter(fake[:, 0], fake[:, 1], s=4, color="tab:green", alpha=0.5, label="generated")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="upper right", markerscale=3)
    if title:
        ax.set_title(title)
    return fig


def save_toy_samples(real, fake, path, title=None):
    """Write `plot_toy_samples(real, fake, title)` to a PNG file and close the figure."""
    fig = plot_toy_samples(real, fake, title)
    fig.savefig(str(path), dpi=80)
    plt.close(fig)


def plot_training_curves(history, smooth=None):
    """The losses and the critic's W estimate against generator steps (two panels).

    Left: critic loss (with the penalty for gp) and generator loss. Right: the W estimate
    mean f(x) - mean f(x~) (Arjovsky et al. 2017, arXiv 1701.07875, Figure 3), raw and as
    a moving average.

    Args:
        history: dict with arrays "step", "critic_loss", "generator_loss", "w_estimate"
            (as returned by `training.train` or `training.read_metrics`).
        smooth: moving-average window in steps (default about 1/50 of the run, >= 1).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: a key is missing or the arrays are empty.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    for key in ("step", "critic_loss", "generator_loss", "w_estimate"):
        if key not in history or len(history[key]) == 0:
            raise ValueError(f"history must hold a non-empty array {key!r}")
    steps = np.asarray(history["step"])
    window = max(1, len(steps) // 50) if smooth is None else max(1, int(smooth))

    def moving_average(values):
        values = np.asarray(values, dtype=float)
        if window == 1 or len(values) < window:
            return steps, values
        kernel = np.ones(window) / window
        return steps[window - 1:], np.convolve(values, kernel, mode="valid")

    fig, (ax_loss, ax_w) = plt.subplots(1, 2, figsize=(11, 4))
    ax_loss.plot(*moving_average(history["critic_loss"]), color="tab:blue", label="critic loss")
    ax_loss.plot(*moving_average(history["generator_loss"]), color="tab:orange",
                 label="generator loss")
    ax_loss.set_xlabel("generator step")
    ax_loss.set_ylabel("loss" + (f" (moving average of {window} steps)" if window > 1 else ""))
    ax_loss.set_title("Losses")
    ax_loss.legend()
    ax_w.plot(steps, history["w_estimate"], color="tab:green", alpha=0.3 if window > 1 else 1.0,
              lw=0.8, label="per step")
    if window > 1:
        ax_w.plot(*moving_average(history["w_estimate"]), color="tab:green",
                  label=f"moving average ({window} steps)")
    ax_w.set_xlabel("generator step")
    ax_w.set_ylabel("W estimate: mean f(x) − mean f(x~)")
    ax_w.set_title("The critic's Wasserstein estimate")
    ax_w.legend()
    fig.tight_layout()
    return fig
