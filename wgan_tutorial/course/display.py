"""Showing a matplotlib figure in an ipywidgets Output, as a PNG, for the explorers.

The explorers keep each figure they drew as PNG bytes, so that a setting seen once comes back
at once; `show_png` replaces what an Output shows without flicker.

Taught in notebooks/05_interactive_lambda_and_n_critic.ipynb.
"""

import io

import matplotlib.pyplot as plt


def figure_png(figure, dpi=80):
    """A figure as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    plt.close(figure)
    return buffer.getvalue()


def show_png(output, png):
    """Replace what an ipywidgets Output shows by a PNG image."""
    from IPython.display import Image, display

    output.clear_output(wait=True)
    with output:
        display(Image(png))
