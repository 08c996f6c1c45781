#!/usr/bin/python3
"""Golden values of CLIP's preprocessing done by Pillow itself (Image.resize(..., BICUBIC) on the
shorter side to 224, then torchvision-style centre crop). Needs python3-pil (Debian).

Without arguments: prints the golden values of ClipPreprocessorTest, on synthetic images that the
Java test rebuilds pixel for pixel.
    /usr/bin/python3 scripts/pil_clip_golden.py

With --crop: decodes an image file with Pillow at full size (as CLIP's reference code does, after
EXIF orientation like the app) and writes the 224 x 224 RGB crop as raw bytes (row-major, RGB
interleaved) for ClipFullSizeParityTest, which runs this at test time on JPEGs it writes or finds.
    /usr/bin/python3 scripts/pil_clip_golden.py --crop photo.jpg crop.rgb
"""
import sys

from PIL import Image, ImageOps


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


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--crop":
        with Image.open(sys.argv[2]) as im:
            img = ImageOps.exif_transpose(im).convert("RGB")
        with open(sys.argv[3], "wb") as f:
            f.write(clip_crop(img).tobytes())
        return
    for (w, h) in [(301, 203), (1000, 700), (50, 80), (224, 224)]:
        c = clip_crop(synthetic(w, h))
        px = c.load()
        sums = [sum(px[x, y][ch] for y in range(224) for x in range(224)) for ch in range(3)]
        samples = [(x, y) + px[x, y] for (x, y) in [(0, 0), (1, 0), (17, 33), (111, 112), (200, 5), (223, 223), (64, 190)]]
        print(f"{{{w}, {h}, {sums[0]}, {sums[1]}, {sums[2]}}}, // samples {samples}")


if __name__ == "__main__":
    main()
