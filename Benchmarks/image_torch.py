"""PyTorch side of Benchmarks/image.sh: EfficientNet-Lite0 written in plain PyTorch, loading the same .pth,
with the same preprocessing (Pillow: shorter side -> 256 bilinear, centre crop 224, (v - 127) / 128), on the
same number of threads, in channels-last layout (PyTorch's faster CPU path for convolutions; twice as fast as
NCHW here). Prints one JSON object like curio-image-bench.

    python image_torch.py --images DIR --checkpoint FILE [--limit N] [--batch B] [--threads T] [--features OUT]
"""
import argparse
import json
import math
import os
import resource
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

BLOCKS = [  # kernel, stride, in, mid, out (expansion 1 for the first block, 6 elsewhere)
    (3, 1, 32, 32, 16), (3, 2, 16, 96, 24), (3, 1, 24, 144, 24), (5, 2, 24, 144, 40), (5, 1, 40, 240, 40),
    (3, 2, 40, 240, 80), (3, 1, 80, 480, 80), (3, 1, 80, 480, 80), (5, 1, 80, 480, 112), (5, 1, 112, 672, 112),
    (5, 1, 112, 672, 112), (5, 2, 112, 672, 192), (5, 1, 192, 1152, 192), (5, 1, 192, 1152, 192),
    (5, 1, 192, 1152, 192), (3, 1, 192, 1152, 320),
]


class SameConv(nn.Conv2d):
    """Conv2d with TensorFlow "SAME" padding computed from the input size."""

    def forward(self, x):
        pads = []
        for size, k, s in zip(x.shape[-1:-3:-1], self.kernel_size[::-1], self.stride[::-1]):
            out = math.ceil(size / s)
            total = max((out - 1) * s + k - size, 0)
            pads += [total // 2, total - total // 2]
        return super().forward(F.pad(x, pads) if any(pads) else x)


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3)


class Block(nn.Module):
    def __init__(self, k, stride, inp, mid, out):
        super().__init__()
        self.expand = mid != inp
        if self.expand:
            self._expand_conv = SameConv(inp, mid, 1, bias=False)
            self._bn0 = bn(mid)
        self._depthwise_conv = SameConv(mid, mid, k, stride=stride, groups=mid, bias=False)
        self._bn1 = bn(mid)
        self._project_conv = SameConv(mid, out, 1, bias=False)
        self._bn2 = bn(out)
        self.residual = stride == 1 and inp == out

    def forward(self, x):
        y = F.relu6(self._bn0(self._expand_conv(x))) if self.expand else x
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.residual else y


class EfficientNetLite0(nn.Module):
    def __init__(self):
        super().__init__()
        self._conv_stem = SameConv(3, 32, 3, stride=2, bias=False)
        self._bn0 = bn(32)
        self._blocks = nn.ModuleList([Block(*b) for b in BLOCKS])
        self._conv_head = SameConv(320, 1280, 1, bias=False)
        self._bn1 = bn(1280)
        self._fc = nn.Linear(1280, 1000)

    def features(self, x):
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        return x.mean(dim=(2, 3))


def preprocess(path):
    image = Image.open(path).convert("RGB")
    w, h = image.size
    scale = 256 / min(w, h)
    size = (256, round(h * scale)) if w <= h else (round(w * scale), 256)
    image = image.resize(size, Image.BILINEAR)
    left, top = (size[0] - 224) // 2, (size[1] - 224) // 2
    array = np.asarray(image.crop((left, top, left + 224, top + 224)), dtype=np.float32)
    return (array.transpose(2, 0, 1) - 127.0) / 128.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", required=True)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--batch", type=int, default=64)  # fastest of 4, 16, 32, 64 here
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--features")
    parser.add_argument("--nchw", action="store_true", help="keep the default NCHW layout instead of channels-last")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    model = EfficientNetLite0()
    state = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    model.eval()
    layout = torch.contiguous_format if args.nchw else torch.channels_last
    model = model.to(memory_format=layout)

    files = sorted(f for f in os.listdir(args.images) if f.lower().endswith((".jpg", ".jpeg", ".png")))
    files = [os.path.join(args.images, f) for f in files[: args.limit]]

    # Per chunk of 64 images (as Curio does): decode and preprocess on `threads` threads, then run the network.
    decode_seconds = encode_seconds = 0.0
    outputs = []
    with ThreadPoolExecutor(args.threads) as pool, torch.inference_mode():
        for chunk_start in range(0, len(files), 64):
            t0 = time.perf_counter()
            inputs = np.stack(list(pool.map(preprocess, files[chunk_start : chunk_start + 64])))
            t1 = time.perf_counter()
            for start in range(0, len(inputs), args.batch):
                batch = torch.from_numpy(inputs[start : start + args.batch]).contiguous(memory_format=layout)
                outputs.append(model.features(batch))
            t2 = time.perf_counter()
            decode_seconds += t1 - t0
            encode_seconds += t2 - t1
    features = torch.cat(outputs).numpy()
    if args.features:
        features.astype("<f4").tofile(args.features)
    print(json.dumps({
        "images": len(files), "threads": args.threads, "batch": args.batch, "torch": torch.__version__,
        "layout": "nchw" if args.nchw else "channels_last",
        "decode_seconds": decode_seconds, "encode_seconds": encode_seconds,
        "total_seconds": decode_seconds + encode_seconds,
        "images_per_second": len(files) / (decode_seconds + encode_seconds),
        "encode_images_per_second": len(files) / encode_seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
