"""Data of the course: a registry of data sets, their loaders, pipelines and toy distributions.

One module per job, all re-exported here (`from wgan_tutorial import data; data.load_mnist()`):

- `registry`: `DATASETS` (name -> `Dataset` entry), aliases, `get_dataset`,
  `dataset_image_shape`, `toy_samples`, and the allowed `IMAGE_SIZES` and `CHANNELS`.
- `pipeline`: `image_source` / `labelled_source` and the `tf.data` pipelines in [-1, 1]
  (`image_dataset`, `labelled_dataset`, `mnist_dataset`) that training reads, ending in
  `prefetched`; `real_images` (uint8 arrays for FID/KID).
- `mnist`: MNIST's sources in order (a named path, `WGAN_TUTORIAL_MNIST`, keras' cache, a
  download, the subset shipped in the package), `load_mnist`, `to_float_images`.
- `image_sets`: Fashion-MNIST (Xiao et al. 2017, arXiv 1708.07747) and CIFAR-10
  (Krizhevsky 2009) from a user's files, keras' cache or a verified download.
- `folder`: any folder of images (`ImageFolder`, `read_image`), streamed.
- `toys`: two 1-D Gaussians (Arjovsky et al. 2017, arXiv 1701.07875, Figure 2) and the 2-D
  sets of Gulrajani et al. 2017 (arXiv 1704.00028, Section 3, Figure 1).
- `files`: `download` (progress bar, published SHA-256 checked), the restricted unpickler,
  IDX and gzip readers. `checks`: the argument checks the loaders share.

Importing the package is cheap: TensorFlow is imported only inside the functions that need it.

MNIST: Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licence CC BY-SA 3.0.

Taught in notebooks/00_start_here.ipynb and notebooks/06_your_own_images.ipynb.
"""

from wgan_tutorial.data.checks import SPLITS, check_choice, check_images, check_labels, check_split
from wgan_tutorial.data.files import (
    DOWNLOAD_TIMEOUT_SECONDS,
    PROGRESS_BAR_BYTES,
    ArrayUnpickler,
    download,
    host_answers,
    keras_datasets_dir,
    read_gzip,
    read_idx,
    unpickle_arrays,
)
from wgan_tutorial.data.folder import IMAGE_SUFFIXES, ImageFolder, read_image
from wgan_tutorial.data.image_sets import (
    CIFAR_BINARY_FILES,
    CIFAR_BINARY_SHA256,
    CIFAR_BINARY_URL,
    CIFAR_RECORD_BYTES,
    FASHION_FILES,
    FASHION_SHA256,
    KERAS_DATA_URL,
    keras_cifar_folders,
    load_cifar10,
    load_fashion_mnist,
    read_cifar_binary,
)
from wgan_tutorial.data.mnist import (
    KERAS_MNIST_SHA256,
    KERAS_MNIST_URL,
    MNIST_ENV,
    keras_cache_path,
    keras_download,
    load_mnist,
    load_mnist_images,
    mnist_source,
    subset_path,
    to_float_images,
)
from wgan_tutorial.data.pipeline import (
    convert_images,
    image_dataset,
    image_source,
    labelled_dataset,
    labelled_source,
    mnist_dataset,
    prefetched,
    real_images,
)
from wgan_tutorial.data.registry import (
    CHANNELS,
    DATASET_ALIASES,
    DATASET_NAMES,
    DATASETS,
    IMAGE_DATASETS,
    IMAGE_SIZES,
    TOY_DATASETS,
    Dataset,
    dataset_image_shape,
    get_dataset,
    toy_samples,
)
from wgan_tutorial.data.toys import (
    eight_gaussian_centres,
    eight_gaussians,
    gaussian_1d,
    swiss_roll,
    twenty_five_gaussians,
)

__all__ = [
    # registry
    "CHANNELS",
    "DATASET_ALIASES",
    "DATASET_NAMES",
    "DATASETS",
    "IMAGE_DATASETS",
    "IMAGE_SIZES",
    "TOY_DATASETS",
    "Dataset",
    "dataset_image_shape",
    "get_dataset",
    "toy_samples",
    # pipeline
    "convert_images",
    "image_dataset",
    "image_source",
    "labelled_dataset",
    "labelled_source",
    "mnist_dataset",
    "prefetched",
    "real_images",
    # mnist
    "KERAS_MNIST_SHA256",
    "KERAS_MNIST_URL",
    "MNIST_ENV",
    "keras_cache_path",
    "keras_download",
    "load_mnist",
    "load_mnist_images",
    "mnist_source",
    "subset_path",
    "to_float_images",
    # image_sets
    "CIFAR_BINARY_FILES",
    "CIFAR_BINARY_SHA256",
    "CIFAR_BINARY_URL",
    "CIFAR_RECORD_BYTES",
    "FASHION_FILES",
    "FASHION_SHA256",
    "KERAS_DATA_URL",
    "keras_cifar_folders",
    "load_cifar10",
    "load_fashion_mnist",
    "read_cifar_binary",
    # folder
    "IMAGE_SUFFIXES",
    "ImageFolder",
    "read_image",
    # toys
    "eight_gaussian_centres",
    "eight_gaussians",
    "gaussian_1d",
    "swiss_roll",
    "twenty_five_gaussians",
    # files
    "DOWNLOAD_TIMEOUT_SECONDS",
    "PROGRESS_BAR_BYTES",
    "ArrayUnpickler",
    "download",
    "host_answers",
    "keras_datasets_dir",
    "read_gzip",
    "read_idx",
    "unpickle_arrays",
    # checks
    "SPLITS",
    "check_choice",
    "check_images",
    "check_labels",
    "check_split",
]
