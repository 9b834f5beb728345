"""Course code, kept at its old import path: the module is `wgan_tutorial.course.augmentation`.

`from wgan_tutorial import augmentation` (as the notebooks write) gives that same module object, so
everything in it, monkeypatching included, works through either name.
"""

import sys

from wgan_tutorial.course import augmentation

sys.modules[__name__] = augmentation
