"""Exact arithmetic for the property tests: the oracles' 100-digit decimals and fractions.

The property tests of tests/test_properties_*.py compare the package's floats with values
computed here without rounding (fractions.Fraction) or with 100 significant digits and an
exponent range far beyond the float range (decimal), so that an oracle is right even where
the float formula under test overflows, underflows or cancels.
"""

import decimal
import math
from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

CONTEXT = decimal.Context(prec=100, Emax=100_000, Emin=-100_000)
# The largest float, as a Decimal and as a Fraction.
FLOAT_MAX = decimal.Decimal(float(np.finfo(np.float64).max))
LARGEST = Fraction(float(np.finfo(np.float64).max))
# Half the smallest subnormal float: results below it round to 0.
UNDERFLOW = Fraction(2) ** -1075
# Relative distance from the largest float within which a result may round either way.
EDGE = Fraction(1, 10**12)

# Any finite float, from -1.8e308 to 1.8e308, subnormal numbers and -0.0 included.
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
# Any finite float > 0, subnormal numbers included.
positive_floats = st.floats(min_value=0.0, exclude_min=True, allow_infinity=False)


def to_decimal(value):
    """The exact value of a float as a Decimal."""
    return decimal.Decimal(float(value))


def fractions_of(vector):
    """The exact values of an array's floats as Fractions, in a list."""
    return [Fraction(float(value)) for value in vector]


def expect_float(exact, computed, rel, abs_tol=0.0):
    """`computed` is `exact` (a Decimal) within rel and abs_tol, or inf beyond the float range."""
    if computed == math.inf and exact >= FLOAT_MAX * (1 - decimal.Decimal(rel)):
        return  # rounds to the largest float or beyond
    if exact > FLOAT_MAX * (1 + decimal.Decimal(rel)):
        assert computed == math.inf, f"expected inf (true value {exact:.6e}), got {computed}"
        return
    assert math.isfinite(computed), f"expected {exact:.17e}, got {computed}"
    with decimal.localcontext(CONTEXT):
        error = abs(decimal.Decimal(computed) - exact)
        assert error <= decimal.Decimal(rel) * abs(exact) + decimal.Decimal(abs_tol), (
            f"expected {exact:.17e}, got {computed!r}"
        )


def expect_fraction(exact, computed, tolerance):
    """`computed` is within `tolerance` of `exact` (Fractions), or inf beyond the float range."""
    if computed == math.inf or exact > LARGEST * (1 + EDGE):
        assert computed == math.inf and exact > LARGEST * (1 - EDGE), (
            f"expected {float(min(exact, LARGEST))!r} (exact {exact > LARGEST and 'beyond'} "
            f"the float range), got {computed!r}"
        )
        return
    assert abs(Fraction(computed) - exact) <= tolerance + UNDERFLOW
