#!/usr/bin/python3
"""Parameters and MACs of the zoo's networks as torchinfo counts them, from the frameworks'
own definitions: the expected values of tests/zoo/model_size_test.cpp.

torchinfo's rule (torchinfo/layer_info.py, calculate_macs; model_statistics.py): the total of
parameters is every parameter of the model; the MACs are summed over the leaf modules run by
a forward pass, each of its `weight` and `bias` tensors counting

    elements × N·H_out·W_out   in a module whose class name contains "Conv" (transposed too),
    elements × rows of output  in a Linear (every output dimension but the last),
    elements × N               in any other module (a batch norm: 2·C per sample).

This script applies that rule with forward hooks (torchinfo itself is not needed) to
torchvision 0.14's networks and to our own transcriptions, below, of the definitions torchvision
lacks: Xception as timm's `legacy_xception` (Cadene's port), the U-Net of milesial/Pytorch-UNet
(bilinear=False, 3 channels in, 2 classes) and the reference's LeNet.

    tests/zoo/torchinfo_counts.py [NAME...]   (Debian's python3-torch and python3-torchvision)

prints `name batch input parameters macs` per network, at batch 1 and the input of the
data set of real networks (224×224) and, for a few, at other sizes.
"""

import os
import sys

DEBIAN_PYTHON = "/usr/bin/python3"  # Debian's torch is installed for the system interpreter only

try:
    import torch
    import torchvision
except ImportError:
    if sys.executable != DEBIAN_PYTHON and os.path.exists(DEBIAN_PYTHON):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, *sys.argv])
    sys.exit("torchinfo_counts.py: needs python3-torch and python3-torchvision (apt-get install)")

from torch import nn
import torch.nn.functional as F


def torchinfo_counts(model, shape):
    """(parameters, MACs) of `model` for an input of `shape` under torchinfo's rule."""
    macs = 0

    def count(module, _inputs, output):
        nonlocal macs
        out = list(output.shape)
        name = type(module).__name__
        for param_name, p in module.named_parameters():
            if param_name not in ("weight", "bias"):
                continue
            if "Conv" in name:
                macs += p.numel() * out[0] * torch.Size(out[2:]).numel()
            elif "Linear" in name:
                macs += p.numel() * torch.Size(out[:-1]).numel()
            else:
                macs += p.numel() * out[0]

    leaves = [m for m in model.modules() if not any(m.children())]
    handles = [m.register_forward_hook(count) for m in leaves]
    with torch.no_grad():
        model.eval()(torch.zeros(*shape))
    for h in handles:
        h.remove()
    return sum(p.numel() for p in model.parameters()), macs


class SeparableConv2d(nn.Module):
    """timm legacy_xception: a depthwise k×k and a pointwise 1×1 convolution, neither with a bias."""

    def __init__(self, cin, cout, kernel=3, padding=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cin, kernel, 1, padding, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return self.pointwise(self.conv1(x))


class XceptionBlock(nn.Module):
    def __init__(self, cin, cout, reps, stride=1, start_with_relu=True, grow_first=True):
        super().__init__()
        self.skip = None
        if cout != cin or stride != 1:
            self.skip = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
        rep = []
        for i in range(reps):
            if grow_first:
                a, b = (cin if i == 0 else cout), cout
            else:
                a, b = cin, (cin if i < reps - 1 else cout)
            rep += [nn.ReLU(), SeparableConv2d(a, b), nn.BatchNorm2d(b)]
        if not start_with_relu:
            rep = rep[1:]
        if stride != 1:
            rep.append(nn.MaxPool2d(3, stride, 1))
        self.rep = nn.Sequential(*rep)

    def forward(self, x):
        return self.rep(x) + (self.skip(x) if self.skip is not None else x)


def xception():
    def conv_bn_relu(conv, c):
        return [conv, nn.BatchNorm2d(c), nn.ReLU()]

    layers = conv_bn_relu(nn.Conv2d(3, 32, 3, 2, 0, bias=False), 32) + conv_bn_relu(nn.Conv2d(32, 64, 3, bias=False), 64)
    layers += [XceptionBlock(64, 128, 2, 2, start_with_relu=False), XceptionBlock(128, 256, 2, 2),
               XceptionBlock(256, 728, 2, 2)]
    layers += [XceptionBlock(728, 728, 3) for _ in range(8)]
    layers += [XceptionBlock(728, 1024, 2, 2, grow_first=False)]
    layers += conv_bn_relu(SeparableConv2d(1024, 1536), 1536) + conv_bn_relu(SeparableConv2d(1536, 2048), 2048)
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000)]
    return nn.Sequential(*layers)


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU())


class UNetUp(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose2d(cin, cin // 2, 2, stride=2)
        self.conv = double_conv(cin, cout)

    def forward(self, x, skip):
        x = self.up(x)
        dy, dx = skip.shape[2] - x.shape[2], skip.shape[3] - x.shape[3]
        x = F.pad(x, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])
        return self.conv(torch.cat([skip, x], dim=1))


class UNet(nn.Module):
    def __init__(self, channels=3, classes=2):
        super().__init__()
        widths = [64, 128, 256, 512, 1024]
        self.inc = double_conv(channels, 64)
        self.downs = nn.ModuleList(nn.Sequential(nn.MaxPool2d(2), double_conv(a, b)) for a, b in zip(widths, widths[1:]))
        self.ups = nn.ModuleList(UNetUp(a, b) for a, b in zip(widths[:0:-1], widths[-2::-1]))
        self.outc = nn.Conv2d(64, classes, 1)

    def forward(self, x):
        skips = [self.inc(x)]
        for down in self.downs:
            skips.append(down(skips[-1]))
        x = skips.pop()
        for up in self.ups:
            x = up(x, skips.pop())
        return self.outc(x)


def lenet():
    return nn.Sequential(nn.Conv2d(1, 128, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(128, 16, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(576, 120), nn.ReLU(), nn.Linear(120, 84),
                         nn.ReLU(), nn.Linear(84, 10))


OURS = {"xception": xception, "unet": UNet, "lenet": lenet}

# name → inputs (batch, channels, height, width) to count at.
CASES = {
    "alexnet": [(1, 3, 224, 224)], "vgg11": [(1, 3, 224, 224)], "vgg13": [(1, 3, 224, 224)],
    "vgg16": [(1, 3, 224, 224)], "vgg19": [(1, 3, 224, 224)], "mobilenet_v2": [(1, 3, 224, 224)],
    "mobilenet_v3_small": [(1, 3, 224, 224)], "mobilenet_v3_large": [(1, 3, 224, 224)],
    "resnet18": [(1, 3, 224, 224)], "resnet34": [(1, 3, 224, 224)], "resnet50": [(1, 3, 224, 224)],
    "resnet101": [(1, 3, 224, 224)], "resnet152": [(1, 3, 224, 224)], "lenet": [(1, 1, 32, 32)],
    "resnext50_32x4d": [(1, 3, 224, 224)], "resnext101_32x8d": [(1, 3, 224, 224)],
    "resnext101_64x4d": [(1, 3, 224, 224)], "convnext_tiny": [(1, 3, 224, 224)], "convnext_small": [(1, 3, 224, 224)],
    "convnext_base": [(1, 3, 224, 224)],
    "shufflenet_v2_x1_0": [(1, 3, 224, 224), (2, 3, 193, 161)],
    "efficientnet_b0": [(1, 3, 224, 224)],
    "efficientnet_b4": [(1, 3, 224, 224), (1, 3, 380, 380)],
    "efficientnet_v2_m": [(1, 3, 224, 224), (1, 3, 480, 480)],
    "xception": [(1, 3, 224, 224), (1, 3, 299, 299)],
    "unet": [(1, 3, 224, 224), (2, 3, 161, 203)],
}


def main(names):
    for name in names or CASES:
        model = OURS[name]() if name in OURS else getattr(torchvision.models, name)()
        for shape in CASES[name]:
            params, macs = torchinfo_counts(model, shape)
            print(name, shape[0], "x".join(map(str, shape[1:])), params, macs)


if __name__ == "__main__":
    main(sys.argv[1:])
