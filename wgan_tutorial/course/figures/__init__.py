"""The course's figures, one module per notebook or topic; every function draws one figure.

- `divergences`: notebook 01 (KL, JS, TV and W1 between distributions).
- `clipping`: notebook 02 (the discriminator against the critic; clipped weights).
- `gradient_norms`: notebooks 02 and 03 (gradient norms per layer and at interpolates).
- `sample_grids`: notebooks 02 to 06 (a grid of images; the grids a run saved).
- `penalty`: notebook 03 (interpolates, clipping against the penalty, the GAN baseline).
- `seeds`: notebooks 03 and 05 (the recorded comparisons of settings on several seeds).
- `fid`: notebook 04 (feature Gaussians, sample-size bias, class coverage, W vs FID).
- `explorers`: notebook 05 (the toy explorer, one sweep cell, the whole sweep).

The pictures a training run writes (`image_grid`, `save_image_grid`, `plot_toy_samples`,
`plot_training_curves`, ...) are library code in `wgan_tutorial.images`, re-exported here.
Functions return the matplotlib Figure and never call `plt.show()`: a notebook cell ends
with `plt.show()` (or `;`). No TensorFlow is imported here.
"""

from wgan_tutorial.course.figures.clipping import (
    plot_discriminator_vs_critic_1d,
    plot_weight_histogram,
)
from wgan_tutorial.course.figures.divergences import (
    plot_distances_vs_shift,
    plot_kl_asymmetry,
    plot_optimal_critic_1d,
    plot_parallel_lines,
    plot_transport_plan,
    show_gaussian_pair,
)
from wgan_tutorial.course.figures.explorers import (
    plot_sweep_cell,
    plot_sweep_overview,
    plot_toy_explorer,
)
from wgan_tutorial.course.figures.fid import (
    plot_class_coverage,
    plot_feature_gaussians,
    plot_fid_and_w_estimate,
    plot_fid_vs_sample_size,
)
from wgan_tutorial.course.figures.gradient_norms import (
    plot_gradient_norm_histograms,
    plot_layer_gradient_norms,
)
from wgan_tutorial.course.figures.penalty import (
    plot_clip_vs_gp,
    plot_gan_baseline,
    plot_interpolates,
    plot_interpolation_weights,
)
from wgan_tutorial.course.figures.sample_grids import plot_image_grid, plot_saved_sample_grids
from wgan_tutorial.course.figures.seeds import (
    estimate_fid_correlation,
    plot_estimate_against_fid,
    plot_final_fids,
    plot_seed_curves,
    plot_seed_record,
    plot_sweep_spread,
)
from wgan_tutorial.images import (
    image_grid,
    plot_toy_samples,
    plot_training_curves,
    save_image_grid,
    save_toy_samples,
)

__all__ = [
    "estimate_fid_correlation",
    "image_grid",
    "plot_class_coverage",
    "plot_clip_vs_gp",
    "plot_discriminator_vs_critic_1d",
    "plot_estimate_against_fid",
    "plot_distances_vs_shift",
    "plot_feature_gaussians",
    "plot_fid_and_w_estimate",
    "plot_fid_vs_sample_size",
    "plot_final_fids",
    "plot_gan_baseline",
    "plot_gradient_norm_histograms",
    "plot_image_grid",
    "plot_interpolates",
    "plot_interpolation_weights",
    "plot_kl_asymmetry",
    "plot_layer_gradient_norms",
    "plot_optimal_critic_1d",
    "plot_parallel_lines",
    "plot_saved_sample_grids",
    "plot_seed_curves",
    "plot_seed_record",
    "plot_sweep_cell",
    "plot_sweep_overview",
    "plot_sweep_spread",
    "plot_toy_explorer",
    "plot_toy_samples",
    "plot_training_curves",
    "plot_transport_plan",
    "plot_weight_histogram",
    "save_image_grid",
    "save_toy_samples",
    "show_gaussian_pair",
]
