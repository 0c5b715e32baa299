"""Generated illustrations for the demo articles (no photographs are shipped)."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

THEMES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "city": ((38, 70, 110), (220, 170, 120)),
    "sea": ((10, 60, 110), (120, 200, 220)),
    "desert": ((200, 140, 70), (250, 220, 160)),
    "stadium": ((20, 90, 40), (140, 200, 110)),
    "market": ((120, 40, 30), (240, 180, 90)),
    "tech": ((20, 20, 60), (80, 160, 230)),
    "stage": ((60, 10, 50), (230, 120, 90)),
    "parliament": ((80, 60, 50), (200, 190, 170)),
    "field": ((70, 110, 30), (220, 210, 120)),
    "night": ((5, 10, 30), (60, 70, 130)),
}


def illustration(theme: str, seed: int, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A JPEG of a soft landscape in the theme's colours: sky gradient, hills, shapes."""
    top, bottom = THEMES.get(theme, THEMES["city"])
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    width, height = size
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(rng.randint(4, 9)):
        w, h = rng.randint(60, 260), rng.randint(120, 420)
        x = rng.randint(0, width - w)
        shade = tuple(max(0, c - rng.randint(30, 90)) for c in top)
        draw.rectangle([x, height - h, x + w, height], fill=shade)
        for wy in range(height - h + 20, height - 20, 36):
            for wx in range(x + 12, x + w - 12, 28):
                if rng.random() < 0.45:
                    draw.rectangle(
                        [wx, wy, wx + 10, wy + 14], fill=tuple(min(255, c + 90) for c in bottom)
                    )
    sun = rng.randint(120, width - 120), rng.randint(60, height // 3)
    draw.ellipse(
        [sun[0] - 50, sun[1] - 50, sun[0] + 50, sun[1] + 50],
        fill=tuple(min(255, c + 60) for c in bottom),
    )
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()
