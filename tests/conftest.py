"""Unit-test fixtures: figures go to a non-interactive backend."""
import matplotlib

matplotlib.use("Agg")
