"""Course code, kept at its old import path: the module is `wgan_tutorial.course.toy1d`.

`from wgan_tutorial import toy1d` (as the notebooks write) gives that same module object, so
everything in it, monkeypatching included, works through either name.
"""

import sys

from wgan_tutorial.course import toy1d

sys.modules[__name__] = toy1d
