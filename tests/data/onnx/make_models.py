#!/usr/bin/python3
"""Writes the ONNX test models of tests/onnx (and bench/onnx_read) into this folder.

torchvision's networks and `op_families` (one of every operation family the ONNX front end
reads, docs/onnx.md), exported by Debian's PyTorch 1.13 as trtexec users export them, but
with export_params=False: the weights are graph inputs without values, so each file holds the
graph alone (resnet18 is 10 KB) and the networks' random initial weights are not stored.

    tests/data/onnx/make_models.py [NAME...]   (all by default; as root: installs python3-torch
                                                and python3-torchvision with apt-get when missing)

The output is deterministic: rerunning it rewrites the same files.
"""

import os
import subprocess
import sys

DEBIAN_PYTHON = "/usr/bin/python3"  # Debian's torch is installed for the system interpreter only

try:
    import torch
    import torchvision
except ImportError:
    if sys.executable != DEBIAN_PYTHON and os.path.exists(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, *sys.argv])
    if os.geteuid() != 0:
        sys.exit("make_models.py: needs python3-torch and python3-torchvision; run as root, or: "
                 "sudo apt-get install -y python3-torch python3-torchvision")
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                    "python3-torch", "python3-torchvision"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, *sys.argv])

from torch import nn

OPSET = 13
HERE = os.path.dirname(os.path.abspath(__file__))

# The six, the network of the 100 MB read benchmark (resnet50: 25.6 M weights), and two
# that add hardswish, squeeze-and-excitation and concatenations.
TORCHVISION = ["alexnet", "resnet18", "vgg16", "mobilenet_v2", "shufflenet_v2_x1_0", "efficientnet_b0",
               "resnet50", "mobilenet_v3_small", "googlenet"]


def conv_bn(cin, cout, kernel, **kwargs):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, bias=False, **kwargs), nn.BatchNorm2d(cout))


class OpFamilies(nn.Module):
    """Every operation family the front end reads, in a small network (input 1x3x32x32)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(3, 16, 3, stride=2, padding=1), nn.ReLU())      # conv+BN+ReLU
        self.rect = nn.Sequential(nn.Conv2d(16, 16, (3, 1), padding=(1, 0)), nn.ReLU6())  # 3x1 kernel, Clip
        self.depthwise = conv_bn(16, 16, 3, padding=2, dilation=2, groups=16)              # + residual add + ReLU
        self.hardswish = nn.Sequential(nn.Conv2d(16, 16, 1), nn.Hardswish())               # x * HardSigmoid(x)
        self.silu = nn.Sequential(nn.Conv2d(16, 16, 1), nn.SiLU())                         # x * Sigmoid(x)
        self.squeeze = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(16, 4, 1), nn.ReLU(),
                                     nn.Conv2d(4, 16, 1), nn.Hardsigmoid())                # SE scale: Mul
        self.after_concat = nn.BatchNorm2d(32)                                             # a Scale of its own
        self.instance_norm = nn.InstanceNorm2d(32, affine=True)
        self.max_pool = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.avg_pool = nn.AvgPool2d(3, 1, padding=1, count_include_pad=False)
        self.halve = nn.AvgPool2d(2)
        self.pad = nn.ZeroPad2d((1, 0, 1, 0))
        self.padded = nn.Conv2d(32, 32, 2)
        self.up = nn.ConvTranspose2d(32, 8, 2, stride=2)
        self.upsample = nn.Upsample(scale_factor=2, mode="nearest")
        self.leaky = nn.LeakyReLU(0.1)
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 10)
        self.token = nn.Linear(16, 16)

    def forward(self, x):
        x = self.stem(x)                                        # 16x16x16
        x = self.rect(x)
        x = torch.relu(self.depthwise(x) + x)
        x = self.hardswish(x)
        x = self.silu(x)
        x = x * self.squeeze(x)
        a, b = x.chunk(2, dim=1)                                 # Slice (shape arithmetic) ...
        x = torch.cat([b, a, torch.tanh(x)], dim=1)             # ... and Concat: 32 channels
        n, c, h, w = x.shape
        x = x.view(n, 2, c // 2, h, w).transpose(1, 2).reshape(n, c, h, w)  # channel shuffle
        x = self.after_concat(x)
        x = self.instance_norm(x) + torch.exp(x.clamp(-1, 1)) * x.amax((2, 3), keepdim=True)
        head, tail = torch.split(x, [8, 24], dim=1)              # Split
        x = torch.cat([tail, head[:, torch.tensor([0, 2, 4, 6, 1, 3, 5, 7])]], dim=1)  # Gather
        x = self.max_pool(x)                                     # 8x8, ceil mode
        x = self.avg_pool(x) - x / 2                             # Sub, Div with a constant
        x = self.padded(self.pad(x))                             # Pad, then a 2x2 conv: 8x8
        side = self.leaky(self.upsample(self.up(x)))             # ConvTranspose, Resize: 8x32x32
        x = torch.sigmoid(self.halve(x))                         # 4x4
        tokens = x.flatten(2)                                    # 1x32x16
        attention = torch.softmax(tokens @ tokens.transpose(1, 2), dim=-1)  # MatMul of activations
        x = self.token(attention @ tokens).mean((2,))            # MatMul with a weight, ReduceMean
        x = torch.relu(self.fc1(x))
        return torch.softmax(self.fc2(x), dim=1), side


def export(model, example, name):
    path = os.path.join(HERE, f"{name}.onnx")
    torch.onnx.export(model.eval(), example, path, export_params=False, opset_version=OPSET,
                      input_names=["input"], output_names=["output"] if name != "op_families" else ["output", "side"])
    print(f"{path}: {os.path.getsize(path)} bytes")


def main(names):
    torch.manual_seed(0)
    for name in names:
        if name == "op_families":
            export(OpFamilies(), torch.randn(1, 3, 32, 32), name)
            continue
        extra = {"aux_logits": False, "init_weights": False} if name == "googlenet" else {}
        export(getattr(torchvision.models, name)(weights=None, **extra), torch.randn(1, 3, 224, 224), name)


if __name__ == "__main__":
    with torch.no_grad():
        main(sys.argv[1:] or [*TORCHVISION, "op_families"])
