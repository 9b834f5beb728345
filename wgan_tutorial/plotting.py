"""Figures of the course: each function draws one figure of a notebook and returns it.

Groups (by notebook):
- 01 divergences: the four distances against a shift of the means, the parallel-lines
  example, KL's asymmetry, the optimal 1-D critic, a transport plan between point clouds,
  and the view behind the Gaussian-pair sliders.
- 02 weight clipping: a GAN discriminator against a WGAN critic on two 1-D Gaussians,
  a clipped critic's weight histogram, per-layer gradient norms under clipping.
- 03 WGAN-GP: interpolates between real and generated digits, interpolation weights
  (uniform against normal), critic gradient norms, saved sample grids along training,
  and clipping against the penalty side by side; the GAN baseline (losses, W estimate and
  FID against training time).
- 04 FID: Gaussians fitted to classifier features, FID against the sample size, class
  coverage bars, and the W estimate against the FID along training.

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
    """Tile images into one array of intensities in [0, 1] (gaps 0.25), row by row.

    Greyscale images give ink intensities (2-D); colour images (N, H, W, 3) give RGB (3-D).

    Args:
        images: array (N, H, W[, 1]) or (N, H, W, 3): uint8 in [0, 255] or floats in
            [-1, 1] (generator outputs; clipped).
        ncols: images per row (default ceil(sqrt(N))).
        padding: pixels between images, int >= 0.

    Returns:
        float array (rows * (H + padding) - padding, ncols * (W + padding) - padding[, 3]).

    Raises:
        ValueError: wrong shape.

    Taught in notebooks/02_wgan_weight_clipping.ipynb and notebooks/06_your_own_images.ipynb.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    colour = images.ndim == 4 and images.shape[-1] == 3
    if not (images.ndim == 3 or colour) or images.shape[0] == 0:
        raise ValueError(f"images must have shape (N, H, W[, 1]) or (N, H, W, 3) with N >= 1, "
                         f"got {images.shape}")
    if images.dtype == np.uint8:
        pixels = images.astype(np.float64) / 255.0
    else:
        pixels = (np.clip(images.astype(np.float64), -1.0, 1.0) + 1.0) / 2.0
    n, height, width = pixels.shape[:3]
    ncols = int(np.ceil(np.sqrt(n))) if ncols is None else int(ncols)
    nrows = int(np.ceil(n / ncols))
    grid = np.full((nrows * (height + padding) - padding, ncols * (width + padding) - padding)
                   + pixels.shape[3:], 0.25)
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
    if grid.ndim == 3:  # colour, as it is
        ax.imshow(grid, interpolation="nearest")
    else:
        ax.imshow(1.0 - grid, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def save_image_grid(images, path, ncols=None):
    """Write images as one grid PNG (pixel-exact, no figure): greyscale ink dark on white,
    colour as it is.

    Args:
        images, ncols: see `image_grid`.
        path: the PNG file to write.
    """
    grid = image_grid(images, ncols)
    if grid.ndim == 3:
        plt.imsave(str(path), grid)
    else:
        plt.imsave(str(path), 1.0 - grid, cmap="gray", vmin=0.0, vmax=1.0)


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
            A log kept every k-th step (e.g. a shipped model's thinned metrics.csv) is
            averaged over smooth / k of its rows, and its labels count steps, not rows.

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
    spacing = int(np.median(np.diff(steps))) if len(steps) > 1 else 1
    spacing = max(1, spacing)
    window = max(1, len(steps) // 50) if smooth is None else max(1, round(int(smooth) / spacing))

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
    ax_loss.set_ylabel("loss" + (f" (moving average of {window * spacing} steps)" if window > 1
                                 else ""))
    ax_loss.set_title("Losses")
    ax_loss.legend()
    ax_w.plot(steps, history["w_estimate"], color="tab:green", alpha=0.3 if window > 1 else 1.0,
              lw=0.8, label="per step" if spacing == 1 else f"every {spacing} steps")
    if window > 1:
        ax_w.plot(*moving_average(history["w_estimate"]), color="tab:green",
                  label=f"moving average ({window * spacing} steps)")
    ax_w.set_xlabel("generator step")
    ax_w.set_ylabel("W estimate: mean f(x) − mean f(x~)")
    ax_w.set_title("The critic's Wasserstein estimate")
    ax_w.legend()
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------
# Notebook 05: the lambda and n_critic explorers.
# ---------------------------------------------------------------------------------------

def plot_toy_explorer(real, fake, axis, critic_values, norms, steps, w_estimates, title=None):
    """One toy run at a glance: critic contours with the points, gradient norms, W estimate.

    Left: the critic f on the grid (filled contours) with the real and generated points.
    Middle: the histogram of ||grad f(x_hat)|| at interpolates x_hat between real and
    generated points (log scale), with the norm 1 that the penalty of Gulrajani et al. 2017
    (arXiv 1704.00028, Equation 3) asks for. Right: the critic's W estimate
    mean f(x) - mean f(x~) per generator step.

    Args:
        real, fake: arrays (N, 2) and (M, 2) of real and generated points.
        axis: array (R,), the grid coordinates on both axes (increasing).
        critic_values: array (R, R), f(axis[j], axis[i]) at [i, j].
        norms: array (K,) of gradient norms > 0 (K >= 1).
        steps, w_estimates: arrays (S,) of generator steps and W estimates.
        title: optional figure title.

    Returns:
        matplotlib Figure with three axes.

    Raises:
        ValueError: shapes that do not match.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    axis = np.asarray(axis, dtype=float)
    critic_values = np.asarray(critic_values, dtype=float)
    norms = np.asarray(norms, dtype=float).ravel()
    steps, w_estimates = np.asarray(steps), np.asarray(w_estimates, dtype=float)
    if axis.ndim != 1 or critic_values.shape != (axis.size, axis.size):
        raise ValueError(f"critic_values must have shape ({axis.size}, {axis.size}) to match "
                         f"axis, got {critic_values.shape}")
    if norms.size == 0 or not np.all(norms > 0):
        raise ValueError("norms must hold at least one value, all > 0")
    if steps.shape != w_estimates.shape:
        raise ValueError(f"steps and w_estimates must have the same shape, got {steps.shape} "
                         f"and {w_estimates.shape}")
    limit = float(np.max(np.abs(axis)))
    fig, (ax_critic, ax_norms, ax_w) = plt.subplots(
        1, 3, figsize=(13, 4.1), gridspec_kw=dict(width_ratios=[1.25, 1, 1]))
    finite = np.isfinite(critic_values)
    if finite.any():
        filled = ax_critic.contourf(axis, axis, np.where(finite, critic_values, np.nan),
                                    levels=20, cmap="coolwarm")
        fig.colorbar(filled, ax=ax_critic, label="critic value f(x)")
    plot_toy_samples(real, fake, ax=ax_critic, limit=limit)
    ax_critic.set_title("Critic f: high where it sees real data")

    finite_norms = norms[np.isfinite(norms)]
    low = min(float(finite_norms.min()), 0.5) if finite_norms.size else 0.5
    high = max(float(finite_norms.max()), 2.0) if finite_norms.size else 2.0
    bins = np.geomspace(low, high, 41)
    ax_norms.hist(finite_norms, bins=bins, color="tab:purple", alpha=0.8)
    ax_norms.axvline(1.0, color="black", ls="--", lw=1.5, label="target norm 1")
    median = float(np.median(finite_norms)) if finite_norms.size else float("nan")
    ax_norms.axvline(median, color="tab:purple", lw=1.5, label=f"median {median:.3g}")
    ax_norms.set_xscale("log")
    ax_norms.set_xlabel("‖∇f(x̂)‖ at interpolates x̂ (log scale)")
    ax_norms.set_ylabel(f"count (of {norms.size})")
    ax_norms.set_title("Critic gradient norms")
    ax_norms.legend(loc="upper left", fontsize="small")

    ax_w.plot(steps, w_estimates, color="tab:green", lw=1)
    ax_w.set_xlabel("generator step")
    ax_w.set_ylabel("W estimate: mean f(x) − mean f(x~)")
    ax_w.set_title("The critic's Wasserstein estimate")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_sweep_cell(samples, steps, w_estimates, grad_norms, fid_steps=(), fid_values=(),
                    title=None, limits=None):
    """One cell of the MNIST lambda x n_critic sweep: samples and curves along training.

    Panels: the final sample grid; the W estimate per generator step (symmetric log scale:
    an unconstrained critic's estimate grows by orders of magnitude); the mean gradient
    norm at the interpolates (log scale, the target 1 of Gulrajani et al. 2017, arXiv
    1704.00028, Equation 3, marked); the FID along training when recorded.

    Args:
        samples: 2-D array in [0, 1], the sample grid as shipped (ink dark on white).
        steps: array (S,) of generator steps; w_estimates, grad_norms: arrays (S,) (NaN
            allowed: not drawn).
        fid_steps, fid_values: arrays (F,) (F may be 0: no FID panel).
        title: optional figure title.
        limits: optional dict {"w_estimate": (low, high), "gp_grad_norm": (low, high),
            "fid": (low, high)} of y-limits, to compare cells on equal axes.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: samples not 2-D, or curve shapes that do not match.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    samples = np.asarray(samples, dtype=float)
    steps = np.asarray(steps)
    w_estimates = np.asarray(w_estimates, dtype=float)
    grad_norms = np.asarray(grad_norms, dtype=float)
    fid_steps, fid_values = np.asarray(fid_steps), np.asarray(fid_values, dtype=float)
    if samples.ndim != 2:
        raise ValueError(f"samples must be a 2-D image, got shape {samples.shape}")
    if not (steps.shape == w_estimates.shape == grad_norms.shape):
        raise ValueError(f"steps, w_estimates and grad_norms must have the same shape, got "
                         f"{steps.shape}, {w_estimates.shape}, {grad_norms.shape}")
    if fid_steps.shape != fid_values.shape:
        raise ValueError(f"fid_steps and fid_values must have the same shape, got "
                         f"{fid_steps.shape} and {fid_values.shape}")
    from matplotlib.ticker import SymmetricalLogLocator

    limits = limits or {}
    panels = 4 if fid_steps.size else 3
    fig, axes = plt.subplots(1, panels, figsize=(4 * panels, 3.8),
                             gridspec_kw=dict(width_ratios=[0.85] + [1] * (panels - 1)))
    axes[0].imshow(samples, cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
    axes[0].set_axis_off()
    axes[0].set_title("Final samples")
    axes[1].plot(steps, w_estimates, color="tab:green", lw=0.8)
    axes[1].set_yscale("symlog", linthresh=1.0)  # linear in [-1, 1], logarithmic beyond
    axes[1].yaxis.set_major_locator(SymmetricalLogLocator(linthresh=1.0, base=100.0))
    axes[1].set_xlabel("generator step")
    axes[1].set_ylabel("mean f(x) − mean f(x~) (symlog)")
    axes[1].set_title("W estimate")
    if "w_estimate" in limits:
        low, high = limits["w_estimate"]
        axes[1].set_ylim(min(low, -1.0) * 2.0, max(high, 1.0) * 2.0)
    positive = grad_norms > 0
    axes[2].plot(steps[positive], grad_norms[positive], color="tab:purple", lw=0.8)
    axes[2].axhline(1.0, color="black", ls="--", lw=1.2, label="target norm 1")
    axes[2].set_yscale("log")
    axes[2].set_xlabel("generator step")
    axes[2].set_ylabel("mean ‖∇f(x̂)‖ at interpolates (log)")
    axes[2].set_title("Critic gradient norm")
    axes[2].legend(loc="best", fontsize="small")
    if "gp_grad_norm" in limits:
        low, high = limits["gp_grad_norm"]
        axes[2].set_ylim(min(low, 0.5) / 1.2, max(high, 2.0) * 1.2)
    if panels == 4:
        axes[3].plot(fid_steps, fid_values, "o-", color="tab:red")
        axes[3].set_xlabel("generator step")
        axes[3].set_ylabel("FID (package classifier, lower is better)")
        axes[3].set_title("FID")
        axes[3].set_xlim(0, max(int(steps.max()) if steps.size else 1, 1) * 1.05)
        if "fid" in limits:
            axes[3].set_ylim(*limits["fid"])
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_sweep_overview(samples, gp_weights, n_critics, labels=None):
    """The final samples of a whole lambda x n_critic sweep: one row per lambda, one column
    per n_critic (Gulrajani et al. 2017, arXiv 1704.00028: lambda = 10, n_critic = 5).

    Args:
        samples: dict (gp_weight, n_critic) -> 2-D sample-grid image in [0, 1] (ink dark).
        gp_weights, n_critics: the row and column values, in order.
        labels: optional dict (gp_weight, n_critic) -> a short text shown under each grid
            (e.g. the final FID).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: a (gp_weight, n_critic) pair without samples.

    Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
    """
    missing = [(v, k) for v in gp_weights for k in n_critics if (v, k) not in samples]
    if missing:
        raise ValueError(f"samples lack the pairs {missing}")
    labels = labels or {}
    rows, cols = len(gp_weights), len(n_critics)
    fig, axes = plt.subplots(rows, cols, figsize=(1.7 * cols + 0.6, 1.85 * rows),
                             squeeze=False)
    for i, gp_weight in enumerate(gp_weights):
        for j, n_critic in enumerate(n_critics):
            ax = axes[i, j]
            ax.imshow(samples[(gp_weight, n_critic)], cmap="gray", vmin=0.0, vmax=1.0,
                      interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel(labels.get((gp_weight, n_critic), ""), fontsize="small")
            if i == 0:
                ax.set_title(f"n_critic = {n_critic}")
            if j == 0:
                ax.set_ylabel(f"λ = {gp_weight:g}", fontsize="large")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------
# Notebook 04: FID, its sample-size bias, FID along training, class coverage.
# ---------------------------------------------------------------------------------------

def _ellipse(mean, covariance, radius, num=200):
    """Points of the ellipse {x : (x - mean)^T covariance^-1 (x - mean) = radius^2} in 2-D."""
    values, vectors = np.linalg.eigh(covariance)
    angles = np.linspace(0.0, 2.0 * np.pi, num)
    circle = np.stack([np.cos(angles), np.sin(angles)])
    return (vectors @ (np.sqrt(np.clip(values, 0.0, None))[:, None] * circle)).T * radius + mean


def plot_feature_gaussians(features_a, features_b, labels=("real", "generated"), n_points=500, seed=0):
    """Two sets of classifier features and the Gaussians FID fits to them, in 2-D.

    The features (N, d) are projected onto the two principal axes of the first set (the
    directions of its largest variance); each set is drawn as points with the 1- and 2-sigma
    ellipses of its fitted Gaussian, projected the same way (Heusel et al. 2017, arXiv
    1706.08500, Section 3: FID compares these Gaussians, in all d dimensions).

    Args:
        features_a, features_b: arrays (N_a, d) and (N_b, d), d >= 2, N >= 2.
        labels: the two legend names.
        n_points: at most this many points of each set are drawn (chosen at random).
        seed: seed of that choice.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: shapes that are not (N, d) with a common d >= 2 and N >= 2.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    a, b = np.asarray(features_a, dtype=float), np.asarray(features_b, dtype=float)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1] or a.shape[1] < 2 or min(len(a), len(b)) < 2:
        raise ValueError(f"features_a and features_b must have shapes (N, d) with a common d >= 2 and "
                         f"N >= 2, got {a.shape} and {b.shape}")
    _, vectors = np.linalg.eigh(np.cov(a, rowvar=False))
    axes_2d = vectors[:, ::-1][:, :2]  # the two largest-variance directions of a
    rng = np.random.default_rng(seed)
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    for rows, label, color in ((a, labels[0], "tab:blue"), (b, labels[1], "tab:orange")):
        projected = rows @ axes_2d
        shown = projected[rng.permutation(len(projected))[:n_points]]
        ax.scatter(shown[:, 0], shown[:, 1], s=6, alpha=0.35, color=color, label=f"{label} ({len(rows)} images)")
        mean, covariance = projected.mean(axis=0), np.cov(projected, rowvar=False)
        for radius, style in ((1.0, "-"), (2.0, "--")):
            ax.plot(*_ellipse(mean, covariance, radius).T, style, color=color, lw=2)
        ax.plot(*mean, "x", color=color, ms=10, mew=3)
    ax.plot([], [], "k-", label="fitted Gaussian: 1σ")
    ax.plot([], [], "k--", label="2σ")
    ax.set_xlabel(f"feature principal axis 1 (of {labels[0]})")
    ax.set_ylabel(f"feature principal axis 2 (of {labels[0]})")
    ax.set_title("Gaussians fitted to the classifier features")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return fig


def plot_fid_vs_sample_size(result, reference=None):
    """FID of real against real digits against the sample size N: the bias of small samples.

    Args:
        result: the dict of `metrics.real_vs_real_fid` ("sizes", "fid", "mean", "std",
            "slope", "intercept").
        reference: optional (label, value) drawn as a horizontal line (e.g. a model's FID).

    Returns:
        matplotlib Figure with two axes: FID against N (log axis), and against 1/N with
        the straight-line fit whose intercept extrapolates to N = infinity (Chong and
        Forsyth 2020, arXiv 1911.07023).

    Raises:
        ValueError: a key is missing.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    for key in ("sizes", "fid", "mean", "std", "slope", "intercept"):
        if key not in result:
            raise ValueError(f"result must hold {key!r} (from metrics.real_vs_real_fid)")
    sizes = np.asarray(result["sizes"], dtype=float)
    values = np.asarray(result["fid"], dtype=float)
    mean, std = np.asarray(result["mean"]), np.asarray(result["std"])
    repeats = values.shape[1]
    fig, (ax_n, ax_inverse) = plt.subplots(1, 2, figsize=(11, 4))
    for ax, x in ((ax_n, sizes), (ax_inverse, 1000.0 / sizes)):
        ax.plot(np.repeat(x, repeats), values.ravel(), ".", color="tab:blue", alpha=0.4,
                label=f"one draw ({repeats} per N)")
        ax.errorbar(x, mean, yerr=std, fmt="o-", color="tab:blue", capsize=3, label="mean ± std")
        if reference is not None:
            ax.axhline(reference[1], color="tab:red", ls=":", label=reference[0])
        ax.set_ylabel("FID (N training vs N test digits)")
        ax.set_ylim(bottom=0.0)
    inverse = np.linspace(0.0, 1.0 / sizes.min(), 100)
    ax_inverse.plot(1000.0 * inverse, result["intercept"] + result["slope"] * inverse, "--", color="black",
                    label=f"fit {result['intercept']:.2f} + {result['slope']:.0f} / N")
    ax_n.set_xscale("log")
    ax_n.set_xlabel("sample size N (log scale)")
    ax_n.set_title("Real vs real: FID shrinks as N grows")
    ax_n.legend(fontsize="small")
    ax_inverse.set_xlabel("1000 / N")
    ax_inverse.set_xlim(left=0.0)
    ax_inverse.set_title("Nearly linear in 1/N: extrapolate to N = ∞")
    ax_inverse.legend(fontsize="small")
    fig.tight_layout()
    return fig


def plot_class_coverage(coverages, title=None):
    """Bar plots of class coverage: the fraction of images the classifier gives each digit.

    Args:
        coverages: dict name -> array (10,) of fractions summing to 1 (from
            `metrics.class_coverage`), one panel each, in order.
        title: optional figure title.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: empty dict, or an entry not of shape (10,).

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    if not coverages:
        raise ValueError("coverages must hold at least one name -> (10,) array")
    for name, fractions in coverages.items():
        if np.shape(fractions) != (10,):
            raise ValueError(f"coverages[{name!r}] must have shape (10,), got {np.shape(fractions)}")
    count = len(coverages)
    fig, axes = plt.subplots(1, count, figsize=(3.8 * count, 3.4), sharey=True, squeeze=False)
    for ax, (name, fractions) in zip(axes[0], coverages.items()):
        fractions = np.asarray(fractions, dtype=float)
        ax.bar(np.arange(10), fractions, color="tab:blue")
        ax.axhline(0.1, color="black", ls="--", lw=1, label="uniform (0.1)")
        rare = np.flatnonzero(fractions < 0.01)
        ax.plot(rare, np.full(rare.size, 0.03), "x", color="tab:red", ms=8, mew=2, label="under 1 %")
        ax.set_xticks(np.arange(10))
        ax.set_xlabel("digit (as the classifier sees it)")
        ax.set_title(name)
        ax.set_ylim(0.0, 1.0)
    axes[0, 0].set_ylabel("fraction of the images")
    axes[0, 0].legend(loc="upper right", fontsize="small")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_fid_and_w_estimate(steps, w_estimates, comparison, floor=None, window=None):
    """Does the critic's W estimate track the FID? Both against steps, and one against the other.

    Left: the W estimate (per step, faint, and its moving average) and the FID (right axis)
    against generator steps. Right: the FID against the W estimate averaged before each FID
    step, with Pearson's r and Spearman's rho.

    Args:
        steps, w_estimates: arrays (S,) from a training history.
        comparison: the dict of `metrics.w_estimate_vs_fid` ("steps", "fid", "w_estimate",
            "pearson", "spearman").
        floor: optional real-vs-real FID at the same sample size, drawn as a line.
        window: the moving-average window in steps (default: about 1/50 of the run).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: steps and w_estimates of different shapes, or a key missing.

    Taught in notebooks/04_fid_evaluation.ipynb.
    """
    steps, w_estimates = np.asarray(steps), np.asarray(w_estimates, dtype=float)
    if steps.shape != w_estimates.shape:
        raise ValueError(f"steps and w_estimates must have the same shape, got {steps.shape} and "
                         f"{w_estimates.shape}")
    for key in ("steps", "fid", "w_estimate", "pearson", "spearman"):
        if key not in comparison:
            raise ValueError(f"comparison must hold {key!r} (from metrics.w_estimate_vs_fid)")
    window = max(1, len(steps) // 50) if window is None else max(1, int(window))
    fig, (ax_steps, ax_scatter) = plt.subplots(1, 2, figsize=(12, 4.2))
    ax_steps.plot(steps, w_estimates, color="tab:green", lw=0.6, alpha=0.3)
    if len(steps) >= window > 1:
        ax_steps.plot(steps[window - 1:], np.convolve(w_estimates, np.ones(window) / window, mode="valid"),
                      color="tab:green", lw=2, label=f"W estimate ({window}-step average)")
    else:
        ax_steps.plot(steps, w_estimates, color="tab:green", lw=2, label="W estimate")
    ax_steps.set_xlabel("generator step")
    ax_steps.set_ylabel("W estimate: mean f(x) − mean f(x~)", color="tab:green")
    ax_fid = ax_steps.twinx()
    ax_fid.plot(comparison["steps"], comparison["fid"], "o-", color="tab:red", label="FID")
    fids = np.asarray(comparison["fid"], dtype=float)
    if floor is not None:
        if fids.size and floor < 0.2 * fids.min():  # a line far below the curve would flatten it
            ax_fid.plot([], [], " ", label=f"real-vs-real floor: {floor:.1f} (off the axis)")
        else:
            ax_fid.axhline(floor, color="tab:red", ls=":", label=f"real-vs-real floor ({floor:.1f})")
    if fids.size and fids.min() > 0 and fids.max() / fids.min() > 20:
        ax_fid.set_yscale("log")  # from thousands (noise) down to tens: a log axis shows both
        ax_fid.set_ylabel("FID (lower is better, log scale)", color="tab:red")
    else:
        ax_fid.set_ylabel("FID (lower is better)", color="tab:red")
    lines = ax_steps.get_legend_handles_labels()
    fid_lines = ax_fid.get_legend_handles_labels()
    ax_steps.legend(lines[0] + fid_lines[0], lines[1] + fid_lines[1], loc="upper right", fontsize="small")
    ax_steps.set_title("Along training")
    order = np.argsort(comparison["steps"])
    ax_scatter.plot(comparison["w_estimate"][order], comparison["fid"][order], "-", color="gray", lw=0.8)
    points = ax_scatter.scatter(comparison["w_estimate"], comparison["fid"], c=comparison["steps"],
                                cmap="viridis", zorder=3)
    fig.colorbar(points, ax=ax_scatter, label="generator step")
    ax_scatter.set_xlabel("W estimate (average before the FID step)")
    ax_scatter.set_ylabel("FID")
    ax_scatter.set_title(f"Pearson r = {comparison['pearson']:.2f}, Spearman ρ = {comparison['spearman']:.2f}")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------
# Notebook 03: the gradient penalty, its interpolates and its gradient norms.
# ---------------------------------------------------------------------------------------

def plot_interpolates(images, weights, row_labels=None, title=None):
    """Rows of interpolates x_hat = eps x + (1 - eps) x~, one column per weight eps.

    Columns whose weight lies outside [0, 1] (points off the segment between the real and
    the generated digit, as a normal eps gives) get red titles; each title also gives the
    share of pixels outside the image range [-1, 1] (shown clipped). Gulrajani et al. 2017
    (arXiv 1704.00028), Algorithm 1 line 6.

    Args:
        images: array (R, W, 28, 28[, 1]) of floats, row r column c = the interpolate of
            pair r at weights[c] (-1 = background, 1 = ink).
        weights: array (W,) of the weights eps.
        row_labels: optional R strings drawn left of the rows.
        title: optional figure title.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: shapes that do not match.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    images = np.asarray(images, dtype=float)
    weights = np.asarray(weights, dtype=float).ravel()
    if images.ndim == 5 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 4 or images.shape[1] != weights.size:
        raise ValueError(f"images must have shape (R, {weights.size}, H, W[, 1]) to match "
                         f"weights, got {images.shape}")
    rows, cols = images.shape[:2]
    if row_labels is not None and len(row_labels) != rows:
        raise ValueError(f"row_labels must hold {rows} strings, got {len(row_labels)}")
    fig, axes = plt.subplots(rows, cols, figsize=(1.15 * cols + 0.8, 1.25 * rows + 0.6),
                             squeeze=False)
    for c, weight in enumerate(weights):
        outside = float(np.mean(np.abs(images[:, c]) > 1.0 + 1e-6))
        color = "tab:red" if weight < 0 or weight > 1 else "black"
        axes[0, c].set_title(f"ε = {weight:.2g}\n{outside:.0%} px out", fontsize=8,
                             color=color)
        for r in range(rows):
            ax = axes[r, c]
            ax.imshow(-np.clip(images[r, c], -1.0, 1.0), cmap="gray", vmin=-1.0, vmax=1.0,
                      interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if color != "black":
                for spine in ax.spines.values():
                    spine.set_edgecolor(color)
                    spine.set_linewidth(2)
            if c == 0 and row_labels is not None:
                ax.set_ylabel(row_labels[r], fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_interpolation_weights(uniform, normal, bins=80):
    """Histograms of interpolation weights: U[0, 1] (the paper) against N(0, 1) (a common bug).

    The segment [0, 1] between a generated (eps = 0) and a real sample (eps = 1) is
    shaded; the legend gives the share of each sample outside it. Gulrajani et al. 2017
    (arXiv 1704.00028), Algorithm 1 line 4: eps ~ U[0, 1].

    Args:
        uniform, normal: arrays (N,) and (M,) of weights.
        bins: histogram bins over the common range.

    Returns:
        matplotlib Figure.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    uniform = np.asarray(uniform, dtype=float).ravel()
    normal = np.asarray(normal, dtype=float).ravel()
    edges = np.linspace(min(uniform.min(), normal.min(), -0.5),
                        max(uniform.max(), normal.max(), 1.5), int(bins) + 1)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.axvspan(0.0, 1.0, color="tab:green", alpha=0.12,
               label="the segment: x̂ between x~ (ε = 0) and x (ε = 1)")
    for values, color, name in ((uniform, "tab:blue", "ε ~ U[0, 1] (the paper)"),
                                (normal, "tab:red", "ε ~ N(0, 1) (the Keras example)")):
        outside = float(np.mean((values < 0) | (values > 1)))
        ax.hist(values, bins=edges, density=True, histtype="stepfilled", alpha=0.45,
                color=color, label=f"{name}: {outside:.1%} outside [0, 1]")
    ax.set_xlabel("interpolation weight ε")
    ax.set_ylabel("density")
    ax.set_title("Where the penalty is evaluated: x̂ = ε x + (1 − ε) x~")
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def _labelled_arrays(norms):
    """dict label -> values as flat float arrays; ValueError if there are none."""
    if not norms:
        raise ValueError("norms must hold at least one labelled array")
    return {label: np.asarray(values, dtype=float).ravel() for label, values in norms.items()}


def _norm_bins(arrays, count=50):
    values = np.concatenate([a[np.isfinite(a) & (a > 0)] for a in arrays] or [np.ones(1)])
    low = min(float(values.min()), 0.5) if values.size else 0.5
    high = max(float(values.max()), 2.0) if values.size else 2.0
    return np.geomspace(low, high, count + 1)


def plot_gradient_norm_histograms(norms, title=None, ax=None):
    """Histograms of the critic's input-gradient norms ||grad f(x_hat)||, with the target 1.

    The penalty of Gulrajani et al. 2017 (arXiv 1704.00028, Equation 3) pulls these norms
    towards 1 at the interpolates x_hat; the x axis is logarithmic because untrained or
    clipped critics sit orders of magnitude away.

    Args:
        norms: dict label -> array (K,) of norms > 0 (e.g. before and after training).
        title: optional axes title.
        ax: Axes to draw into (default a new figure).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: norms empty.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    arrays = _labelled_arrays(norms)
    bins = _norm_bins(list(arrays.values()))
    if ax is None:
        fig, ax = plt.subplots(figsize=(7.5, 3.8))
    else:
        fig = ax.figure
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (label, values) in enumerate(arrays.items()):
        color = colors[index % len(colors)]
        finite = values[np.isfinite(values) & (values > 0)]
        median = float(np.median(finite)) if finite.size else float("nan")
        ax.hist(finite, bins=bins, color=color, alpha=0.5,
                label=f"{label} (median {median:.3g})")
        ax.axvline(median, color=color, lw=1.2)
    ax.axvline(1.0, color="black", ls="--", lw=1.5, label="target ‖∇f(x̂)‖ = 1")
    ax.set_xscale("log")
    ax.set_xlabel("‖∇f(x̂)‖ at interpolates x̂ (log scale)")
    ax.set_ylabel("number of interpolates")
    ax.set_title(title or "Critic gradient norms at the interpolates")
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_saved_sample_grids(samples_dir, count=5):
    """A row of the sample grids a training run saved (`step_NNNNNN.png`), evenly spaced.

    Args:
        samples_dir: the run's samples folder (see `training.train(samples_dir=...)`).
        count: int >= 1, how many grids to show (the first and the last always).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: no step_*.png file in samples_dir.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    from pathlib import Path

    paths = sorted(Path(samples_dir).glob("step_*.png"))
    if not paths:
        raise ValueError(f"samples_dir {samples_dir} holds no step_*.png sample grids")
    picks = np.unique(np.linspace(0, len(paths) - 1, max(1, int(count))).round().astype(int))
    fig, axes = plt.subplots(1, len(picks), figsize=(3.0 * len(picks), 3.3), squeeze=False)
    for ax, index in zip(axes[0], picks):
        ax.imshow(plt.imread(str(paths[index])), interpolation="nearest")
        ax.set_title(f"step {int(paths[index].stem.split('_')[-1])}")
        ax.set_axis_off()
    fig.suptitle("The same 64 latent vectors along training")
    fig.tight_layout()
    return fig


def plot_clip_vs_gp(runs, smooth=20):
    """Weight clipping and the gradient penalty side by side: samples, W estimate, norms.

    One column per run; rows: the generated digits, the critic's W estimate per generator
    step (raw and moving average; each critic has its own scale, so the axes are not
    shared) and the histogram of the critic's input-gradient norms at interpolates with
    the target 1. Arjovsky et al. 2017 (arXiv 1701.07875, Algorithm 1) against Gulrajani
    et al. 2017 (arXiv 1704.00028, Algorithm 1).

    Args:
        runs: dict name -> dict with "samples" (array (N, 28, 28[, 1]) in [-1, 1] or
            uint8), "history" (dict with "step" and "w_estimate" arrays) and "norms"
            (array (K,) > 0).
        smooth: moving-average window in steps, int >= 1.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: runs empty or a key missing.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    if not runs:
        raise ValueError("runs must hold at least one run")
    for name, run in runs.items():
        for key in ("samples", "history", "norms"):
            if key not in run:
                raise ValueError(f"runs[{name!r}] must hold {key!r}")
    count = len(runs)
    fig, axes = plt.subplots(3, count, figsize=(5.2 * count, 12),
                             gridspec_kw=dict(height_ratios=[1.35, 1, 1]), squeeze=False)
    for column, (name, run) in enumerate(runs.items()):
        plot_image_grid(run["samples"], title=name, ax=axes[0, column])
        steps = np.asarray(run["history"]["step"])
        w = np.asarray(run["history"]["w_estimate"], dtype=float)
        ax = axes[1, column]
        ax.plot(steps, w, color="tab:green", lw=0.6, alpha=0.35, label="per step")
        window = max(1, int(smooth))
        if len(w) >= window > 1:
            ax.plot(steps[window - 1:], np.convolve(w, np.ones(window) / window, "valid"),
                    color="tab:green", lw=2, label=f"moving average ({window} steps)")
        ax.set_xlabel("generator step")
        ax.set_ylabel("W estimate: mean f(x) − mean f(x~)")
        ax.set_title(f"{name}: the critic's W estimate")
        ax.legend(loc="upper right", fontsize="small")
        plot_gradient_norm_histograms({name: run["norms"]}, title=f"{name}: ‖∇f(x̂)‖",
                                      ax=axes[2, column])
    fig.tight_layout()
    return fig


_BASELINE_STYLE = {"gp": ("tab:green", "WGAN-GP"), "sn": ("tab:purple", "spectral norm (W loss)"),
                   "gan": ("tab:orange", "GAN, non-saturating"),
                   "gan-minimax": ("tab:red", "GAN, minimax")}


def plot_gan_baseline(runs):
    """Losses, W estimates and FID of equal-time runs against training seconds, three panels.

    The GAN's discriminator loss against the WGAN critics' (left), the W estimate
    mean f(x) - mean f(x~) of every run (middle; for a GAN's discriminator a difference of
    mean logits, not a distance) and the FID (right, log scale): does a loss track sample
    quality? (Arjovsky et al. 2017, arXiv 1701.07875, Figures 3-4.)

    Args:
        runs: dict name -> {"points": [{"seconds", "critic_loss", "w_estimate", "fid"}, ...]}
            (the "runs" of `benchmarks/gan_baseline.py`'s JSON); a loss or estimate of None
            (the point before training) is skipped.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: no runs, or a run without points.

    Taught in notebooks/03_wgan_gp_mnist.ipynb.
    """
    if not runs or any(not run.get("points") for run in runs.values()):
        raise ValueError("runs must map each name to a dict with a non-empty 'points' list")
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    panels = (("critic_loss", "critic / discriminator loss (minimised)"),
              ("w_estimate", "W estimate: mean f(x) − mean f(x~)"),
              ("fid", "FID (lower is better, log scale)"))
    for name, run in runs.items():
        color, label = _BASELINE_STYLE.get(name, (None, name))
        for ax, (key, _) in zip(axes, panels):
            points = [(p["seconds"], p[key]) for p in run["points"] if p.get(key) is not None]
            if points:
                ax.plot(*zip(*points), "o-", ms=3, color=color, label=label)
    for ax, (_, ylabel) in zip(axes, panels):
        ax.set_xlabel("training time (s)")
        ax.set_ylabel(ylabel)
    axes[1].axhline(0.0, color="gray", lw=0.8)
    axes[2].set_yscale("log")
    axes[0].legend(fontsize="small")
    axes[0].set_title("The minimised loss")
    axes[1].set_title("The critic's estimate (a GAN's: logits)")
    axes[2].set_title("Sample quality")
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------
# Notebook 02: the GAN discriminator against the WGAN critic, and what clipping does.
# ---------------------------------------------------------------------------------------

def plot_discriminator_vs_critic_1d(x, outputs, real_mean=0.0, fake_mean=6.0, std=1.0):
    """A GAN discriminator and a clipped WGAN critic on two 1-D Gaussians, and their slopes.

    Arjovsky et al. 2017 (arXiv 1701.07875), Figure 2. Left: the real and fake densities,
    D(x) (left axis) and the critic f(x) (right axis: its scale is set by the clipping
    constant). Right: |dD/dx| and |df/dx|, each divided by its largest value on the grid
    (log scale), so that their shapes compare: a saturated discriminator's slope at the
    fake samples is orders of magnitude below its peak; the critic's barely changes.

    Args:
        x: array (N,) increasing, the grid.
        outputs: dict of arrays (N,) "discriminator", "discriminator_gradient", "critic",
            "critic_gradient" (see `toy1d.outputs_and_gradients`).
        real_mean, fake_mean: the two means; std: their common standard deviation (> 0).

    Returns:
        matplotlib Figure with two axes.

    Raises:
        ValueError: a key is missing or an array's shape differs from x's.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    x = np.asarray(x, dtype=float)
    keys = ("discriminator", "discriminator_gradient", "critic", "critic_gradient")
    for key in keys:
        if key not in outputs or np.shape(outputs[key]) != x.shape:
            raise ValueError(f"outputs must hold an array {key!r} of shape {x.shape}")
    values = {key: np.asarray(outputs[key], dtype=float) for key in keys}
    fig, (ax_values, ax_slopes) = plt.subplots(1, 2, figsize=(12, 4.3))
    for mean, color, name in ((real_mean, "tab:orange", "real"), (fake_mean, "tab:green",
                                                                   "fake")):
        ax_values.fill_between(x, _normal_pdf(x, mean, std), color=color, alpha=0.3,
                               label=f"{name}: N({mean:g}, {std:g}²)")
    ax_values.plot(x, values["discriminator"], color="tab:red", lw=2,
                   label="GAN discriminator D(x)")
    ax_values.set_xlabel("x")
    ax_values.set_ylabel("density; D(x) = P(real | x)")
    ax_values.set_ylim(-0.02, 1.05)
    ax_critic = ax_values.twinx()
    ax_critic.plot(x, values["critic"], color="tab:blue", lw=2, label="WGAN critic f(x)")
    ax_critic.set_ylabel("critic value f(x)", color="tab:blue")
    lines = ax_values.get_legend_handles_labels()
    critic_lines = ax_critic.get_legend_handles_labels()
    ax_values.legend(lines[0] + critic_lines[0], lines[1] + critic_lines[1],
                     loc="upper right", fontsize="small")
    ax_values.set_title("Trained to tell real from fake")

    tiny = np.finfo(float).tiny
    for key, color, name in (("discriminator_gradient", "tab:red", "|dD/dx| (discriminator)"),
                             ("critic_gradient", "tab:blue", "|df/dx| (critic)")):
        slope = np.abs(values[key])
        peak = float(slope.max())
        ax_slopes.plot(x, np.maximum(slope / peak if peak > 0 else slope, tiny), color=color,
                       lw=2, label=f"{name}, peak {peak:.2g}")
    ax_slopes.axvspan(fake_mean - std, fake_mean + std, color="tab:green", alpha=0.15,
                      label="fake samples (mean ± std): where the generator is")
    ax_slopes.set_yscale("log")
    ax_slopes.set_ylim(1e-12, 3.0)
    ax_slopes.set_xlabel("x")
    ax_slopes.set_ylabel("|gradient w.r.t. x| / its peak (log scale)")
    ax_slopes.set_title("The gradient a generator would follow")
    ax_slopes.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_weight_histogram(weights, clip_value, bins=81, title=None, ax=None):
    """Histogram of a clipped critic's weights, stacked by layer, with the bounds ±c marked.

    Weight clipping (Arjovsky et al. 2017, arXiv 1701.07875, Algorithm 1 line 7) pushes
    most weights to the bounds: the critic uses its capacity only through their signs
    (Gulrajani et al. 2017, arXiv 1704.00028, Section 3.1).

    Args:
        weights: dict layer name -> array of weights (any shape).
        clip_value: float > 0, the constant c.
        bins: number of bins over [-1.1 c, 1.1 c].
        title: optional first line of the axes title (the second gives the share of
            weights within 1 % of ±c).
        ax: Axes to draw into (default a new figure).

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: weights empty or clip_value not > 0.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    if not weights:
        raise ValueError("weights must hold at least one array")
    if not clip_value > 0:
        raise ValueError(f"clip_value must be > 0, got {clip_value!r}")
    arrays = {name: np.asarray(w, dtype=float).ravel() for name, w in weights.items()}
    everything = np.concatenate(list(arrays.values()))
    at_bounds = float(np.mean(np.abs(everything) >= 0.99 * clip_value))
    edges = np.linspace(-1.1 * clip_value, 1.1 * clip_value, int(bins) + 1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 3.8))
    else:
        fig = ax.figure
    ax.hist(list(arrays.values()), bins=edges, stacked=True,
            label=[f"{name} ({values.size:,})" for name, values in arrays.items()])
    for bound in (-clip_value, clip_value):
        ax.axvline(bound, color="black", ls="--", lw=1.2)
    ax.set_yscale("log")
    ax.set_xlabel(f"weight value (bounds ±c = ±{clip_value:g} dashed)")
    ax.set_ylabel("number of weights (log scale)")
    share = f"{at_bounds:.0%} of the {everything.size:,} weights at ±c (within 1 %)"
    ax.set_title(f"{title}\n{share}" if title else share)
    ax.legend(loc="upper center", fontsize="small", title="layer (weights)")
    fig.tight_layout()
    return fig


def plot_layer_gradient_norms(norms):
    """Norm of the critic loss's gradient at each layer, one line per critic (log scale).

    Gulrajani et al. 2017 (arXiv 1704.00028), Figure 1b: with weight clipping the norm
    changes geometrically from the output down to the input: it explodes when c is too
    large and vanishes when c is too small; a gradient penalty keeps it within a narrow
    range.

    Args:
        norms: dict label -> array (K,) of norms >= 0, index 0 = the input layer (see
            `toy1d.layer_gradient_norms`); zeros are drawn at the bottom of the axis.

    Returns:
        matplotlib Figure.

    Raises:
        ValueError: norms empty.

    Taught in notebooks/02_wgan_weight_clipping.ipynb.
    """
    arrays = _labelled_arrays(norms)
    positive = np.concatenate([a[a > 0] for a in arrays.values()] + [np.ones(1)])
    floor = 10.0 ** np.floor(np.log10(positive.min()) - 1)
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for label, values in arrays.items():
        ax.plot(np.arange(values.size), np.where(values > 0, values, floor), "o-", label=label)
    ax.set_yscale("log")
    ax.set_ylim(bottom=floor / 2)
    ax.set_xlabel("critic layer k (0 = the input x; the output layer last)")
    ax.set_ylabel("‖∂ loss / ∂ h_k‖ (log scale)")
    ax.set_title("Gradient of the critic loss at each layer's input")
    ax.legend(loc="best", fontsize="small")
    fig.tight_layout()
    return fig
