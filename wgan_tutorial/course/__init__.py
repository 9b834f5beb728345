"""What only the course's notebooks need, on top of the library.

- `figures`: the figures of each notebook, one module per notebook or topic.
- `toy_runs`: small WGANs trained live on 2-D toy data, cached per setting (notebook 05).
- `toy_explorer`: notebook 05's sliders for lambda and n_critic over those runs.
- `sweep`: the MNIST lambda x n_critic sweep (`wgan-tutorial sweep`) and its record.
- `mnist_explorer`: reading that record back, and notebook 05's sliders over it.
- `display`: showing a figure as a PNG in an ipywidgets Output (both explorers).

Dependencies point down: these modules use the library (`data`, `models`, `losses`,
`training`, `metrics`, `images`, ...); no library module imports them. Importing this
package imports nothing else.
"""
