#!/usr/bin/python3
"""Prints the golden values of ClipPreprocessorTest: CLIP's preprocessing done by Pillow itself
(Image.resize(..., BICUBIC) on the shorter side to 224, then torchvision-style centre crop), on
synthetic images that the Java test can rebuild pixel for pixel. Needs python3-pil (Debian).
Run: /usr/bin/python3 scripts/pil_clip_golden.py"""
from PIL import Image


def synthetic(w, h):
    img = Image.new("RGB", (w, h))
    px = img.load()
    for y in range(h):
        for x in range(w):
            px[x, y] = ((x * 13 + y * 7) % 256, ((x * y) // 3) % 256, (x ^ y) & 255)
    return img


def clip_crop(img):
    w, h = img.size
    if w <= h:
        nw, nh = 224, max(224, int(224 * h / w))
    else:
        nw, nh = max(224, int(224 * w / h)), 224
    r = img.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - 224) / 2.0)), int(round((nw - 224) / 2.0))
    return r.crop((left, top, left + 224, top + 224))


for (w, h) in [(301, 203), (1000, 700), (50, 80), (224, 224)]:
    c = clip_crop(synthetic(w, h))
    px = c.load()
    sums = [sum(px[x, y][ch] for y in range(224) for x in range(224)) for ch in range(3)]
    samples = [(x, y) + px[x, y] for (x, y) in [(0, 0), (1, 0), (17, 33), (111, 112), (200, 5), (223, 223), (64, 190)]]
    print(f"{{{w}, {h}, {sums[0]}, {sums[1]}, {sums[2]}}}, // samples {samples}")
