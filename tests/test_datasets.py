"""The data-set registry and its loaders, on files written here in their real on-disk formats:
the CIFAR-10 binary version, keras' cache layouts (pickled CIFAR-10 batches, Fashion-MNIST's
IDX files) and a folder of PNG, JPEG, BMP, GIF, greyscale, RGBA, non-square and corrupt files."""

import gzip
import logging
import pickle
import tarfile

import numpy as np
import pytest
from PIL import Image

from tests.cli_run import run
from wgan_tutorial import data
from wgan_tutorial.data import image_sets


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """An empty keras cache, and a download that must not be needed (fails the test if called)."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    calls = []
    monkeypatch.setattr(image_sets, "download", lambda url, target, sha256=None: calls.append(url))
    return calls


# --- CIFAR-10 ---------------------------------------------------------------------------------


def _cifar_records(count, seed):
    """count records by the format's definition: 1 label byte, then the R, G, B planes."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (count, 32, 32, 3), dtype=np.uint8)
    labels = rng.integers(0, 10, count).astype(np.uint8)
    blob = b"".join(
        bytes([labels[i]]) + b"".join(images[i, :, :, c].tobytes() for c in range(3))
        for i in range(count)
    )
    return blob, images, labels


def _write_cifar_bin(folder):
    folder.mkdir(parents=True)
    expected = {"train": ([], []), "test": ([], [])}
    for index, name in enumerate([f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]):
        blob, images, labels = _cifar_records(index + 1, seed=index)  # 1 to 6 records per file
        (folder / name).write_bytes(blob)
        split = "test" if name == "test_batch.bin" else "train"
        expected[split][0].append(images)
        expected[split][1].append(labels)
    (folder / "batches.meta.txt").write_text("airplane\n")
    return {split: (np.concatenate(x), np.concatenate(y)) for split, (x, y) in expected.items()}


@pytest.mark.parametrize("where", ["batches folder", "its parent", "tar.gz"])
def test_cifar10_binary_version_is_read_record_by_record(tmp_path, offline, where):
    expected = _write_cifar_bin(tmp_path / "cifar-10-batches-bin")
    path = {"batches folder": tmp_path / "cifar-10-batches-bin", "its parent": tmp_path}.get(where)
    if path is None:
        path = tmp_path / "cifar-10-binary.tar.gz"
        with tarfile.open(path, "w:gz") as archive:
            archive.add(tmp_path / "cifar-10-batches-bin", arcname="cifar-10-batches-bin")
    for split in ("train", "test"):
        images, labels = data.load_cifar10(split, data_dir=path)
        assert images.dtype == np.uint8 and images.shape[1:] == (32, 32, 3)
        np.testing.assert_array_equal(images, expected[split][0])
        np.testing.assert_array_equal(labels, expected[split][1])
    assert len(data.load_cifar10("train", data_dir=path)[0]) == 1 + 2 + 3 + 4 + 5
    assert offline == []


def test_cifar10_alias_and_registry_entry():
    assert data.get_dataset("cifar10") is data.get_dataset("cifar-10")
    assert data.get_dataset("cifar10").image_shape == (32, 32, 3)
    with pytest.raises(ValueError, match="dataset must be one of .*'cifar-10'"):
        data.get_dataset("imagenet")


def test_cifar10_batch_of_the_wrong_length_or_label_is_refused(tmp_path):
    blob = _cifar_records(2, 0)[0]
    with pytest.raises(ValueError, match="multiple of 3073"):
        data.read_cifar_binary(blob[:-1], "cut.bin")
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 9\]"):
        data.read_cifar_binary(bytes([12]) + blob[1:], "bad.bin")
    (tmp_path / "x.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(ValueError, match="not a readable .tar.gz"):
        data.load_cifar10("test", data_dir=tmp_path / "x.tar.gz")


@pytest.mark.parametrize(
    "layout", [("cifar-10-batches-py_extracted", "cifar-10-batches-py"), ("cifar-10-batches-py",)]
)
def test_cifar10_from_keras_cache_pickles(tmp_path, offline, layout):
    folder = tmp_path.joinpath("keras", "datasets", *layout)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(3)
    written = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        rows = rng.integers(0, 256, (2, 3072), dtype=np.uint8)
        labels = [int(v) for v in rng.integers(0, 10, 2)]
        with open(folder / name, "wb") as handle:  # keras' layout: a dict with bytes keys
            pickle.dump(
                {
                    b"batch_label": b"x",
                    b"labels": labels,
                    b"data": rows,
                    b"filenames": [b"a.png", b"b.png"],
                },
                handle,
                protocol=2,
            )
        written[name] = (rows, labels)
    images, labels = data.load_cifar10("test")
    rows, expected_labels = written["test_batch"]
    # pixel (r, c) of channel k is byte k*1024 + r*32 + c of a row (the format's definition)
    assert images[1, 5, 7, 2] == rows[1, 2 * 1024 + 5 * 32 + 7]
    assert labels.tolist() == expected_labels
    assert len(data.load_cifar10("train")[0]) == 10 and offline == []


def test_cifar10_missing_everywhere_says_how_to_get_it(offline):
    with pytest.raises(ValueError, match="cifar-10-binary.tar.gz .*--data-dir"):
        data.load_cifar10("train")
    assert offline == [data.CIFAR_BINARY_URL]  # the download was tried once


# --- downloads are checked against the published SHA-256 (issue #32) --------------------------


def test_registry_lists_each_download_with_its_published_sha256():
    # The digests published for the files (CIFAR-10's and Fashion-MNIST's pages, keras' MNIST)
    published = {
        "cifar-10-binary.tar.gz": (
            "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
        ),
        "train-images-idx3-ubyte.gz": (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
        ),
        "train-labels-idx1-ubyte.gz": (
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
        ),
        "t10k-images-idx3-ubyte.gz": (
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
        ),
        "mnist.npz": "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    }
    listed = {
        url.rsplit("/", 1)[1]: sha256
        for entry in data.DATASETS.values()
        for url, sha256 in entry.downloads
    }
    assert listed == published


@pytest.fixture
def served(monkeypatch, tmp_path):
    """An empty keras cache, every host answering, and the published URLs pointed at files
    written here (file:// URLs): downloads run for real, on files that are not the published."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data.files, "host_answers", lambda url: True)
    folder = tmp_path / "served"
    _write_idx(folder)
    (folder / "cifar-10-binary.tar.gz").write_bytes(b"not the published archive")
    monkeypatch.setattr(image_sets, "KERAS_DATA_URL", folder.as_uri() + "/")
    monkeypatch.setattr(
        image_sets, "CIFAR_BINARY_URL", (folder / "cifar-10-binary.tar.gz").as_uri()
    )
    return tmp_path / "keras" / "datasets"


def test_cifar10_download_with_another_sha256_is_refused_and_not_kept(served):
    with pytest.raises(ValueError, match="cifar-10-binary.tar.gz .*expected c4a38c50a1bc5f3a"):
        data.load_cifar10("test")
    assert list(served.iterdir()) == []


def test_fashion_mnist_download_with_another_sha256_is_refused_and_not_kept(served):
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz .*expected 3aede38d61863908"):
        data.load_fashion_mnist("train")
    assert list((served / "fashion-mnist").iterdir()) == []


# --- registry entries travel where names do ---------------------------------------------------


def test_registry_entries_are_accepted_wherever_a_name_is(tmp_path):
    cifar = data.get_dataset("cifar10")
    assert data.get_dataset(cifar) is cifar
    assert data.dataset_image_shape(cifar, channels=1) == data.dataset_image_shape(
        "cifar10", channels=1
    )
    eight = data.DATASETS["8gaussians"]
    np.testing.assert_array_equal(
        data.toy_samples(eight, 50, seed=1), data.toy_samples("8gaussians", 50, seed=1)
    )
    with pytest.raises(ValueError, match="toy dataset must be one of .* got 'cifar-10'"):
        data.toy_samples(cifar, 5)
    # an entry that is in no registry: its own loader and shape are used, nothing is looked up
    images = np.arange(4 * 32 * 32 * 3, dtype=np.int64).reshape(4, 32, 32, 3).astype(np.uint8)
    own = cifar._replace(name="my-cifar", load=lambda split, data_dir: (images, np.arange(4) % 2))
    source, shape = data.image_source(own, image_size=28)
    assert shape == (28, 28, 3)
    np.testing.assert_array_equal(source, images)
    _, labels, _ = data.labelled_source(own)
    assert labels.tolist() == [0, 1, 0, 1] and labels.dtype == np.int32


# --- Fashion-MNIST ----------------------------------------------------------------------------


def _write_idx(folder, seed=0):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    out = {}
    for split, (images_name, labels_name) in data.FASHION_FILES.items():
        n = 5 if split == "train" else 3
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n).astype(np.uint8)
        header = bytes([0, 0, 8, 3]) + b"".join(v.to_bytes(4, "big") for v in (n, 28, 28))
        with gzip.open(folder / images_name, "wb") as handle:
            handle.write(header + images.tobytes())
        with gzip.open(folder / labels_name, "wb") as handle:
            handle.write(bytes([0, 0, 8, 1]) + n.to_bytes(4, "big") + labels.tobytes())
        out[split] = (images, labels)
    return out


@pytest.mark.parametrize("where", ["data_dir", "keras cache"])
def test_fashion_mnist_idx_files(tmp_path, offline, where):
    folder = (
        tmp_path / "fm"
        if where == "data_dir"
        else tmp_path / "keras" / "datasets" / "fashion-mnist"
    )
    expected = _write_idx(folder)
    images, labels = data.load_fashion_mnist(
        "test", data_dir=folder if where == "data_dir" else None
    )
    np.testing.assert_array_equal(images[..., 0], expected["test"][0])
    np.testing.assert_array_equal(labels, expected["test"][1])
    assert images.shape == (3, 28, 28, 1) and offline == []


def test_fashion_mnist_missing_or_corrupt_is_a_clear_error(tmp_path, offline):
    with pytest.raises(ValueError, match="Fashion-MNIST not found.*--data-dir"):
        data.load_fashion_mnist("train")
    folder = tmp_path / "fm"
    _write_idx(folder)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a readable .gz file"):
        data.load_fashion_mnist("train", data_dir=folder)


# --- a folder of images -----------------------------------------------------------------------

GREEN = (20, 180, 40)


def _write_folder(root):
    """Seven image files (one corrupt), a text file, in nested folders."""
    (root / "sub" / "deeper").mkdir(parents=True)
    # non-square 60x20: red | green | blue thirds; the centre crop is the green square
    stripes = np.zeros((20, 60, 3), np.uint8)
    stripes[:, :20] = (255, 0, 0)
    stripes[:, 20:40] = GREEN
    stripes[:, 40:] = (0, 0, 255)
    Image.fromarray(stripes).save(root / "stripes.png")
    Image.new("RGB", (50, 50), (200, 10, 30)).save(root / "sub" / "red.jpg", quality=100)
    Image.new("L", (40, 40), 77).save(root / "sub" / "grey.png")
    Image.new("RGBA", (32, 32), (0, 0, 0, 0)).save(root / "sub" / "deeper" / "clear.png")
    Image.new("RGB", (30, 30), (10, 20, 30)).save(root / "sub" / "deeper" / "dark.bmp")
    Image.new("P", (30, 30), 0).save(root / "first.gif")
    (root / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n this is no image")
    (root / "notes.txt").write_text("not an image")


def test_folder_is_searched_recursively_and_converted(tmp_path, caplog):
    _write_folder(tmp_path)
    folder = data.ImageFolder(tmp_path, image_size=32, channels=3)
    assert len(folder) == 7  # the .txt is not listed, the corrupt .png is
    by_name = {path.name: data.read_image(path, 32, 3) for path in folder.files}
    assert by_name["broken.png"] is None
    assert (by_name["stripes.png"] == GREEN).all()  # centre crop of the non-square image
    assert (by_name["grey.png"] == 77).all()  # greyscale repeated into RGB
    assert (by_name["clear.png"] == 255).all()  # transparency laid on white
    assert (by_name["dark.bmp"] == (10, 20, 30)).all()
    assert np.abs(by_name["red.jpg"].astype(int) - (200, 10, 30)).max() <= 3  # JPEG rounding
    assert by_name["first.gif"].shape == (32, 32, 3)
    with caplog.at_level(logging.INFO, logger="wgan_tutorial"):
        images = list(folder.images())
    assert len(images) == 6 and folder.skipped == 1
    assert "skipped 1 unreadable file(s) of 7" in caplog.text and "broken.png" in caplog.text


def test_folder_greyscale_uses_luma_and_size_64(tmp_path):
    _write_folder(tmp_path)
    pixels = data.read_image(tmp_path / "sub" / "deeper" / "dark.bmp", 64, 1)
    # ITU-R 601 luma, as Pillow's "L": (10*299 + 20*587 + 30*114) / 1000 = 18.15
    assert pixels.shape == (64, 64, 1) and (pixels == 18).all()


def test_max_images_takes_a_seeded_random_subset(tmp_path):
    _write_folder(tmp_path)
    a = data.ImageFolder(tmp_path, 32, 3, max_images=3, seed=1)
    b = data.ImageFolder(tmp_path, 32, 3, max_images=3, seed=1)
    c = [data.ImageFolder(tmp_path, 32, 3, max_images=3, seed=s).files for s in range(2, 8)]
    assert len(a) == 3 and a.files == b.files
    assert any(files != a.files for files in c)


def test_empty_or_unreadable_folder_is_a_clear_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "a.txt").write_text("x")
    with pytest.raises(ValueError, match="holds no images"):
        data.ImageFolder(tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.png").write_bytes(b"nope")
    with pytest.raises(ValueError, match="none of its 1 image files could be read"):
        data.image_dataset(data.ImageFolder(tmp_path / "bad", 32, 3), (32, 32, 3), 1)
    with pytest.raises(ValueError, match="image_size must be one of"):
        data.ImageFolder(tmp_path / "bad", image_size=48)


def test_folder_streams_batches_in_minus_one_one(tmp_path):
    _write_folder(tmp_path)
    source, shape = data.image_source("folder", data_dir=tmp_path, image_size=32, channels=3)
    batches = [b.numpy() for b in data.image_dataset(source, shape, 3, repeat=False)]
    assert [b.shape for b in batches] == [(3, 32, 32, 3)] * 2  # 6 readable images
    images = np.concatenate(batches)
    green = (np.array(GREEN) / 127.5 - 1).astype(np.float32)
    assert sum(np.allclose(image, green, atol=1e-6) for image in images) == 1
    assert sum(np.allclose(image, 1.0) for image in images) == 1  # the transparent one


def test_registry_converts_shapes_on_request():
    assert data.dataset_image_shape("mnist") == (28, 28, 1)
    assert data.dataset_image_shape("folder") == (64, 64, 3)
    assert data.dataset_image_shape("cifar-10", channels=1) == (32, 32, 1)
    with pytest.raises(ValueError, match="2-D points"):
        data.dataset_image_shape("8gaussians")
    rgb = np.zeros((1, 32, 32, 3), np.uint8)
    rgb[..., 0] = 255
    grey = data.convert_images(rgb, (32, 32, 1)).numpy()
    np.testing.assert_allclose(grey, 0.299 * 255 / 127.5 - 1, atol=1e-5)  # luma of pure red
    grown = data.convert_images(np.full((2, 28, 28, 1), 255, np.uint8), (64, 64, 3)).numpy()
    assert grown.shape == (2, 64, 64, 3) and np.allclose(grown, 1.0)


# --- the data command -------------------------------------------------------------------------


def test_data_command_reports_each_set_s_size_and_class_counts(tmp_path, offline, capsys):
    def per_class(labels):  # the oracle: the labels written, counted here
        return " ".join(str(np.sum(labels == k)) for k in range(10))

    fashion = _write_idx(tmp_path / "fm")
    status, out, _ = run(
        ["data", "--dataset", "fashion-mnist", "--data-dir", str(tmp_path / "fm")], capsys
    )
    assert status == 0
    assert f"train: 5 images of 28x28x1, per class: {per_class(fashion['train'][1])}" in out
    assert f"test: 3 images of 28x28x1, per class: {per_class(fashion['test'][1])}" in out
    cifar = _write_cifar_bin(tmp_path / "cifar-10-batches-bin")
    status, out, _ = run(["data", "--dataset", "cifar10", "--data-dir", str(tmp_path)], capsys)
    assert status == 0  # 1 + 2 + ... + 5 training records, 6 test records
    assert f"train: 15 images of 32x32x3, per class: {per_class(cifar['train'][1])}" in out
    assert f"test: 6 images of 32x32x3, per class: {per_class(cifar['test'][1])}" in out
    _write_folder(tmp_path / "own")
    status, out, _ = run(
        ["data", "--dataset", "folder", "--data-dir", str(tmp_path / "own")], capsys
    )
    assert status == 0 and "7 image files" in out  # the corrupt one is counted, not read
    status, _, err = run(["data", "--dataset", "folder"], capsys)
    assert status == 2 and err.count("\n") == 1 and "--data-dir" in err
